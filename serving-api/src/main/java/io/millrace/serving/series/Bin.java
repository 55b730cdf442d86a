package io.millrace.serving.series;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Finer tumbling windows rolled up into one coarser, epoch-aligned interval. Exact for
 * {@code count}, {@code sum}, {@code min}, {@code max} and {@code avg} (= sum / count);
 * {@code stddev} is the population standard deviation combined from the windows' counts,
 * means and deviations (exact up to floating-point rounding, present when every window
 * has one). {@code p50}, {@code p95} and {@code p99} come from the windows' quantile
 * sketches merged (not from their percentiles, which cannot be combined): within the
 * sketch's relative accuracy of the exact quantile of all the bin's readings, and present
 * only when every window carried a sketch of the same accuracy.
 *
 * @param start inclusive start
 * @param end exclusive end
 * @param count readings
 * @param sum their sum
 * @param min smallest
 * @param max largest
 * @param avg mean
 * @param stddev population standard deviation, when every window has one
 * @param p50 median of the merged sketches, when every window has a sketch
 * @param p95 95th percentile of the merged sketches, when every window has a sketch
 * @param p99 99th percentile of the merged sketches, when every window has a sketch
 * @param firstValue first reading of the earliest window, when computed
 * @param lastValue last reading of the latest window, when computed
 * @param windows how many windows were rolled up
 * @param isFinal whether every one of them was final
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Bin(Instant start, Instant end, long count, double sum, double min, double max, double avg, Double stddev,
		Double p50, Double p95, Double p99, Double firstValue, Double lastValue, int windows,
		@JsonProperty("final") boolean isFinal) {

}
