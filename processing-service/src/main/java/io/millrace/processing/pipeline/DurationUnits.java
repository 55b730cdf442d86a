package io.millrace.processing.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Refuses a processing duration written as a bare number. Spring Boot reads
 * {@code allowed-lateness: 30} as 30 milliseconds, which nobody who writes it means; a
 * unit ({@code 30s}, {@code 30000ms}) says what is meant. {@code 0} is accepted.
 */
final class DurationUnits {

	private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?\\d+\\s*");

	private static final List<String> DURATIONS = List.of("max-out-of-orderness", "allowed-lateness", "idle-timeout",
			"max-clock-skew", "dedupe-horizon", "early-emission-interval", "tick-interval", "progress-interval",
			"checkpoint.interval", "checkpoint.delivery-timeout");

	private static final List<String> WINDOW_DURATIONS = List.of("size", "advance", "gap", "max-duration");

	private DurationUnits() {
	}

	/**
	 * @param environment where the properties come from (files, arguments, environment
	 * variables: relaxed names are bound as for the properties themselves)
	 * @throws IllegalStateException naming every duration written without a unit
	 */
	static void requireUnits(Environment environment) {
		Binder binder = Binder.get(environment);
		List<String> bare = new ArrayList<>();
		for (String name : DURATIONS) {
			check(binder, "millrace.processing." + name, bare);
		}
		for (int i = 0; binder.bind("millrace.processing.windows[" + i + "].kind", String.class).isBound()
				|| binder.bind("millrace.processing.windows[" + i + "].size", String.class).isBound(); i++) {
			for (String name : WINDOW_DURATIONS) {
				check(binder, "millrace.processing.windows[" + i + "]." + name, bare);
			}
		}
		if (!bare.isEmpty()) {
			throw new IllegalStateException("Durations need a unit (for example 30s, 500ms, 5m); a bare number "
					+ "would be read as milliseconds: " + String.join(", ", bare));
		}
	}

	private static void check(Binder binder, String name, List<String> bare) {
		binder.bind(name, String.class).ifBound((value) -> {
			if (BARE_NUMBER.matcher(value).matches() && Long.parseLong(value.trim()) != 0) {
				bare.add(name + "=" + value.trim());
			}
		});
	}

}
