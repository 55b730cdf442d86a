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
	 * The median of every reading in the range, from the windows' quantile sketches
	 * merged (tumbling windows that all carry one); otherwise the largest per-window
	 * estimate in the range, the worst window.
	 */
	P50(false),

	/** The 95th percentile over the range (see {@link #P50}). */
	P95(false),

	/** The 99th percentile over the range (see {@link #P50}). */
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
