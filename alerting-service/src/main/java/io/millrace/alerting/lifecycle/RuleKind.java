package io.millrace.alerting.lifecycle;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a rule watches, and so which input feeds it. */
public enum RuleKind {

	/** A statistic of a closed window compared with a threshold. */
	THRESHOLD("threshold", true),

	/** Each raw reading of {@code telemetry-raw} compared with a threshold. */
	INSTANT("instant", false),

	/** The change of a statistic from one closed window to the next. */
	RATE_OF_CHANGE("rate-of-change", true),

	/** No reading from a sensor for a while (processing time). */
	ABSENCE("absence", false),

	/** A statistic outside mean ± k·stddev of the last windows. */
	ANOMALY("anomaly", true);

	private final String json;

	private final boolean readsWindows;

	RuleKind(String json, boolean readsWindows) {
		this.json = json;
		this.readsWindows = readsWindows;
	}

	/**
	 * Whether the rule reads window aggregates (rather than raw events).
	 * @return true for threshold, rate-of-change and anomaly
	 */
	public boolean readsWindows() {
		return this.readsWindows;
	}

	@JsonValue
	public String json() {
		return this.json;
	}

	@JsonCreator
	public static RuleKind parse(String text) {
		String wanted = text.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values())
			.filter((kind) -> kind.json.equals(wanted) || kind.name().equalsIgnoreCase(wanted))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"Unknown rule kind '" + text + "'; use threshold, instant, rate-of-change, absence or anomaly"));
	}

}
