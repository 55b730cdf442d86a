package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a rule before it is stored: every field its kind needs is there and makes sense,
 * and no field its kind ignores is set (a {@code threshold} on an anomaly rule is a
 * mistake, not a no-op). Each error names its field as a JSON pointer, so the API can
 * answer with a problem detail that points at it.
 */
public final class RuleValidator {

	/** Ids go into fingerprints, URLs and labels: keep them plain. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");

	/** The placeholders {@link AnnotationTemplates} fills in. */
	static final Set<String> PLACEHOLDERS = Set.of("sensorId", "metric", "value", "threshold", "ruleId", "ruleName",
			"severity", "status", "windowStart", "windowEnd");

	/** Labels the engine sets on every alert; a rule cannot redefine them. */
	static final Set<String> RESERVED_LABELS = Set.of("rule", "sensorId", "metric", "severity", "kind");

	private RuleValidator() {
	}

	/**
	 * Whether a text may be an id: of a rule, and of anything else that goes into URLs,
	 * storage keys and labels the same way (subscriptions).
	 * @param id the text
	 * @return true for 1 to 128 letters, digits, '.', '_' or '-', starting with a letter
	 * or digit
	 */
	public static boolean isValidId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	/**
	 * Everything wrong with a rule.
	 * @param rule the rule
	 * @return the errors, empty when the rule is valid
	 */
	public static List<FieldError> validate(Rule rule) {
		List<FieldError> errors = new ArrayList<>();
		if (!isValidId(rule.id())) {
			errors.add(new FieldError("/id",
					"is required: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
		}
		if (rule.severity().isBlank()) {
			errors.add(new FieldError("/severity", "must not be blank"));
		}
		validateSelector(rule.selector(), errors);
		validateLabels(rule, errors);
		RuleKind kind = rule.kind();
		if (kind == null) {
			errors.add(new FieldError("/kind", "is required: threshold, instant, rate-of-change, absence or anomaly"));
			return errors;
		}
		if (kind != RuleKind.ABSENCE && blank(rule.metric())) {
			errors.add(new FieldError("/metric", "is required for " + kind.json() + " rules"));
		}
		else if (rule.metric() != null && rule.metric().isBlank()) {
			errors.add(new FieldError("/metric", "must not be blank; leave it out to watch every reading"));
		}
		validateWindowFields(rule, errors);
		validateComparison(rule, errors);
		validateDurations(rule, errors);
		validateKindSpecific(rule, errors);
		return errors;
	}

	private static void validateSelector(SensorSelector selector, List<FieldError> errors) {
		for (int i = 0; i < selector.sensorIds().size(); i++) {
			if (blank(selector.sensorIds().get(i))) {
				errors.add(new FieldError("/selector/sensorIds/" + i, "must not be blank"));
			}
		}
		if (selector.sensorIdPattern() != null && selector.sensorIdPattern().isBlank()) {
			errors
				.add(new FieldError("/selector/sensorIdPattern", "must not be blank; leave it out to match every id"));
		}
		selector.tags().forEach((name, value) -> {
			if (name.isBlank() || value == null) {
				errors.add(new FieldError("/selector/tags/" + pointer(name), "needs a name and a value"));
			}
		});
	}

	private static void validateLabels(Rule rule, List<FieldError> errors) {
		rule.labels().forEach((name, value) -> {
			if (RESERVED_LABELS.contains(name)) {
				errors.add(new FieldError("/labels/" + pointer(name), "is set by the engine on every alert"));
			}
			else if (name.isBlank() || value == null) {
				errors.add(new FieldError("/labels/" + pointer(name), "needs a name and a value"));
			}
		});
		rule.annotations().forEach((name, template) -> {
			if (template == null) {
				errors.add(new FieldError("/annotations/" + pointer(name), "needs a text"));
				return;
			}
			Matcher placeholder = PLACEHOLDER.matcher(template);
			while (placeholder.find()) {
				if (!PLACEHOLDERS.contains(placeholder.group(1))) {
					errors.add(new FieldError("/annotations/" + pointer(name), "unknown placeholder {{"
							+ placeholder.group(1) + "}}; use one of " + String.join(", ", sorted(PLACEHOLDERS))));
				}
			}
		});
	}

	private static void validateWindowFields(Rule rule, List<FieldError> errors) {
		RuleKind kind = rule.kind();
		if (kind.readsWindows()) {
			if (rule.statistic() == null) {
				errors.add(new FieldError("/statistic", "is required for " + kind.json()
						+ " rules: count, sum, min, max, avg, stddev, p50, p95, p99, first or last"));
			}
			boolean needsWindow = kind == RuleKind.RATE_OF_CHANGE || kind == RuleKind.ANOMALY;
			if (needsWindow && (rule.window() == null || blank(rule.window().kind()))) {
				errors.add(new FieldError((rule.window() == null) ? "/window" : "/window/kind",
						"is required for " + kind.json() + " rules, which compare windows of one kind and size"));
			}
			if (rule.window() != null && rule.window().size() != null && !positive(rule.window().size())) {
				errors.add(new FieldError("/window/size", "must be positive"));
			}
			if (rule.noData() != null) {
				if (rule.noData().after() == null || !positive(rule.noData().after())) {
					errors.add(new FieldError("/noData/after", "is required and must be positive"));
				}
				if (rule.noData().state() == null) {
					errors.add(new FieldError("/noData/state", "is required: ok, alerting or keep"));
				}
			}
		}
		else {
			notUsed(rule.statistic(), "/statistic", kind, errors);
			notUsed(rule.window(), "/window", kind, errors);
			notUsed(rule.noData(), "/noData", kind, errors);
		}
	}

	private static void validateComparison(Rule rule, List<FieldError> errors) {
		RuleKind kind = rule.kind();
		boolean compares = kind == RuleKind.THRESHOLD || kind == RuleKind.INSTANT || kind == RuleKind.RATE_OF_CHANGE;
		if (!compares) {
			notUsed(rule.operator(), "/operator", kind, errors);
			notUsed(rule.threshold(), "/threshold", kind, errors);
			notUsed(rule.resolveThreshold(), "/resolveThreshold", kind, errors);
			return;
		}
		if (rule.operator() == null) {
			errors.add(new FieldError("/operator", "is required: >, >=, <, <=, == or !="));
		}
		if (rule.threshold() == null || !Double.isFinite(rule.threshold())) {
			errors.add(new FieldError("/threshold", "is required and must be a finite number"));
		}
		Double resolve = rule.resolveThreshold();
		if (resolve == null || rule.operator() == null || rule.threshold() == null) {
			return;
		}
		if (!Double.isFinite(resolve)) {
			errors.add(new FieldError("/resolveThreshold", "must be a finite number"));
		}
		else if (!rule.operator().isOrdering()) {
			errors.add(new FieldError("/resolveThreshold", "only works with >, >=, < and <="));
		}
		else if (rule.operator().firesAbove() && resolve > rule.threshold()) {
			errors.add(new FieldError("/resolveThreshold", "must not be above the threshold for operator "
					+ rule.operator().symbol() + ": the alert resolves when the value falls back past it"));
		}
		else if (!rule.operator().firesAbove() && resolve < rule.threshold()) {
			errors.add(new FieldError("/resolveThreshold", "must not be below the threshold for operator "
					+ rule.operator().symbol() + ": the alert resolves when the value rises back past it"));
		}
	}

	private static void validateDurations(Rule rule, List<FieldError> errors) {
		if (rule.kind() == RuleKind.ABSENCE) {
			// An absence alert fires after 'after' and resolves on the next reading: a
			// 'for' would just add to 'after', and keeping it firing while readings
			// arrive would be wrong.
			if (!rule.forDuration().isZero()) {
				errors.add(new FieldError("/for", "is not used by absence rules: 'after' is how long to wait"));
			}
			if (!rule.keepFiringFor().isZero()) {
				errors.add(new FieldError("/keepFiringFor",
						"is not used by absence rules: they resolve on the next reading"));
			}
			return;
		}
		if (rule.forDuration().isNegative()) {
			errors.add(new FieldError("/for", "must not be negative"));
		}
		if (rule.keepFiringFor().isNegative()) {
			errors.add(new FieldError("/keepFiringFor", "must not be negative"));
		}
	}

	private static void validateKindSpecific(Rule rule, List<FieldError> errors) {
		RuleKind kind = rule.kind();
		if (kind != RuleKind.RATE_OF_CHANGE) {
			notUsed(rule.change(), "/change", kind, errors);
		}
		if (kind == RuleKind.ABSENCE) {
			if (rule.after() == null || !positive(rule.after())) {
				errors.add(new FieldError("/after", "is required for absence rules and must be positive"));
			}
		}
		else {
			notUsed(rule.after(), "/after", kind, errors);
		}
		if (kind == RuleKind.ANOMALY) {
			if (rule.lookback() == null || rule.lookback() < 2 || rule.lookback() > 10_000) {
				errors.add(new FieldError("/lookback", "is required for anomaly rules: 2 to 10000 windows"));
			}
			if (rule.k() == null || !Double.isFinite(rule.k()) || rule.k() <= 0) {
				errors.add(new FieldError("/k", "is required for anomaly rules and must be a positive number"));
			}
			// minWindows defaults to lookback: judged only once lookback is valid, so
			// that
			// a bad lookback is not reported twice.
			if (rule.minWindows() != null && rule.lookback() != null && rule.lookback() >= 2
					&& (rule.minWindows() < 2 || rule.minWindows() > rule.lookback())) {
				errors.add(new FieldError("/minWindows", "must be between 2 and lookback (" + rule.lookback() + ")"));
			}
		}
		else {
			notUsed(rule.lookback(), "/lookback", kind, errors);
			notUsed(rule.k(), "/k", kind, errors);
			notUsed(rule.minWindows(), "/minWindows", kind, errors);
		}
	}

	private static void notUsed(Object value, String field, RuleKind kind, List<FieldError> errors) {
		if (value != null) {
			errors.add(new FieldError(field, "is not used by " + kind.json() + " rules"));
		}
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	private static boolean blank(String text) {
		return text == null || text.isBlank();
	}

	private static List<String> sorted(Set<String> names) {
		return names.stream().sorted().toList();
	}

	/**
	 * A name as one JSON-pointer segment (RFC 6901).
	 * @param name the name
	 * @return the escaped segment
	 */
	static String pointer(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

	/**
	 * Fail fast on an invalid rule, for code that takes rules it did not validate.
	 * @param rule the rule
	 * @throws IllegalArgumentException naming every error
	 */
	static void require(Rule rule) {
		List<FieldError> errors = validate(rule);
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException("Invalid rule " + rule.id() + ": "
					+ errors.stream().map((e) -> e.field() + " " + e.message()).toList());
		}
	}

}
