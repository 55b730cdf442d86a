package io.millrace.serving.ranking;

import java.util.Locale;

import io.millrace.serving.api.ApiException;

/**
 * What top-N ranks sensors by, over the windows of a range.
 */
enum Statistic {

	/** Readings in the range (tumbling windows only). */
	COUNT(true),

	/** Sum of the readings (tumbling windows only). */
	SUM(true),

	/** Mean of the readings: sum / count (tumbling windows only). */
	AVG(true),

	/** Smallest reading. */
	MIN(false),

	/** Largest reading. */
	MAX(false),

	/** The last reading of the newest window (its average when not computed). */
	LAST(false),

	/**
	 * The largest per-window median estimate in the range: the worst window, not the
	 * median of the whole range, which the published estimates cannot give.
	 */
	P50(false),

	/** The largest per-window p95 estimate in the range (see {@link #P50}). */
	P95(false),

	/** The largest per-window p99 estimate in the range (see {@link #P50}). */
	P99(false);

	private final boolean additive;

	Statistic(boolean additive) {
		this.additive = additive;
	}

	/**
	 * @return whether it adds windows up, which counts readings twice in overlapping
	 * windows
	 */
	boolean isAdditive() {
		return this.additive;
	}

	String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Statistic parse(String text) {
		for (Statistic statistic : values()) {
			if (statistic.label().equals(text)) {
				return statistic;
			}
		}
		throw ApiException.invalidParameter("statistic",
				"'" + text + "' is not one of count, sum, avg, min, max, last, p50, p95, p99");
	}

}
