package io.millrace.alerting.lifecycle;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.millrace.model.aggregate.WindowAggregate;

/** Which statistic of a window aggregate a window rule reads. */
public enum Statistic {

	COUNT, SUM, MIN, MAX, AVG, STDDEV, P50, P95, P99, FIRST, LAST;

	/**
	 * The statistic's value in an aggregate.
	 * @param aggregate the aggregate
	 * @return the value, or {@code null} when processing did not compute it (stddev,
	 * quantiles, first and last are optional in the contract)
	 */
	public Double of(WindowAggregate aggregate) {
		return switch (this) {
			case COUNT -> (double) aggregate.count();
			case SUM -> aggregate.sum();
			case MIN -> aggregate.min();
			case MAX -> aggregate.max();
			case AVG -> aggregate.avg();
			case STDDEV -> aggregate.stddev();
			case P50 -> aggregate.p50();
			case P95 -> aggregate.p95();
			case P99 -> aggregate.p99();
			case FIRST -> aggregate.firstValue();
			case LAST -> aggregate.lastValue();
		};
	}

	@JsonValue
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static Statistic parse(String text) {
		return Arrays.stream(values())
			.filter((statistic) -> statistic.name().equalsIgnoreCase(text.trim()))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("Unknown statistic '" + text
					+ "'; use count, sum, min, max, avg, stddev, p50, p95, p99, first or last"));
	}

}
