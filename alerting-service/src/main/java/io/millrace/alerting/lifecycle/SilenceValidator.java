package io.millrace.alerting.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a silence before it is stored; each error names its field as a JSON pointer. A
 * silence must say who made it and why, and must not match every alert: at least one
 * matcher has to fail on an alert without that label, as Alertmanager requires, so that a
 * mistyped matcher cannot silence everything.
 */
public final class SilenceValidator {

	private SilenceValidator() {
	}

	/**
	 * Everything wrong with a silence.
	 * @param silence the silence
	 * @return the errors, empty when it is valid
	 */
	public static List<FieldError> validate(Silence silence) {
		List<FieldError> errors = new ArrayList<>();
		if (blank(silence.id())) {
			errors.add(new FieldError("/id", "is required"));
		}
		if (silence.matchers().isEmpty()) {
			errors.add(new FieldError("/matchers", "needs at least one matcher"));
		}
		boolean allValid = true;
		for (int i = 0; i < silence.matchers().size(); i++) {
			SilenceMatcher matcher = silence.matchers().get(i);
			String at = "/matchers/" + i;
			if (matcher == null) {
				errors.add(new FieldError(at, "must not be null"));
				allValid = false;
				continue;
			}
			if (blank(matcher.name())) {
				errors.add(new FieldError(at + "/name", "is required"));
				allValid = false;
			}
			if (matcher.value() == null) {
				errors.add(new FieldError(at + "/value", "is required"));
				allValid = false;
			}
			else if (matcher.isRegex()) {
				try {
					Pattern.compile(matcher.value());
				}
				catch (PatternSyntaxException ex) {
					errors.add(
							new FieldError(at + "/value", "is not a valid regular expression: " + ex.getDescription()));
					allValid = false;
				}
			}
		}
		if (allValid && !silence.matchers().isEmpty()
				&& silence.matchers().stream().allMatch((matcher) -> matcher.matches(""))) {
			errors.add(new FieldError("/matchers",
					"would silence every alert: at least one matcher must not match " + "an empty or missing label"));
		}
		if (silence.startsAt() == null) {
			errors.add(new FieldError("/startsAt", "is required"));
		}
		if (silence.endsAt() == null) {
			errors.add(new FieldError("/endsAt", "is required"));
		}
		else if (silence.startsAt() != null && !silence.endsAt().isAfter(silence.startsAt())) {
			errors.add(new FieldError("/endsAt", "must be after startsAt"));
		}
		if (blank(silence.createdBy())) {
			errors.add(new FieldError("/createdBy", "is required: who made the silence"));
		}
		if (blank(silence.comment())) {
			errors.add(new FieldError("/comment", "is required: why the alerts are silenced"));
		}
		return errors;
	}

	private static boolean blank(String text) {
		return text == null || text.isBlank();
	}

}
