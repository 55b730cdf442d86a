package io.millrace.lakehouse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.*}: where the tables live, how often they are committed, and
 * each table's options. Documented in docs/configuration.md.
 *
 * @param root the directory the tables live under
 * @param commit when buffered rows are committed
 * @param bronze the Bronze table
 * @param gold the Gold table
 * @param silver the Silver tables and their expectations
 * @param hourly the hourly Gold roll-up
 */
@Validated
@ConfigurationProperties("millrace.lakehouse")
public record LakehouseProperties(@NotNull @DefaultValue(".millrace/lakehouse") Path root,
		@Valid @NotNull @DefaultValue Commit commit, @Valid @NotNull @DefaultValue Bronze bronze,
		@Valid @NotNull @DefaultValue Gold gold, @Valid @NotNull @DefaultValue Silver silver,
		@Valid @NotNull @DefaultValue Hourly hourly) {

	/**
	 * @param interval buffered rows are committed at least this often
	 * @param maxRows a source partition holding this many rows is committed at once
	 * @param deliveryTimeout how long a commit waits for its dead letters to be
	 * acknowledged
	 */
	public record Commit(@NotNull @DefaultValue("1s") Duration interval, @Min(1) @DefaultValue("100000") int maxRows,
			@NotNull @DefaultValue("30s") Duration deliveryTimeout) {
	}

	/**
	 * @param partitionByHour partition by UTC hour as well as by date
	 * @param appIdPrefix the prefix of the table's transaction ids
	 * ({@code <prefix>-p<partition>})
	 * @param deadLetterRejected dead-letter records that are not events (else count and
	 * skip them)
	 */
	public record Bronze(@DefaultValue("false") boolean partitionByHour,
			@NotBlank @DefaultValue("millrace-bronze") String appIdPrefix,
			@DefaultValue("true") boolean deadLetterRejected) {
	}

	/**
	 * @param appIdPrefix the prefix of the table's transaction ids
	 * @param deadLetterRejected dead-letter records that are not aggregates (else count
	 * and skip them)
	 */
	public record Gold(@NotBlank @DefaultValue("millrace-gold") String appIdPrefix,
			@DefaultValue("true") boolean deadLetterRejected) {
	}

	/**
	 * @param appIdPrefix the prefix of the Silver tables' transaction ids
	 * @param deadLetterRejected dead-letter records that are not events (Bronze does
	 * already, so only counted by default)
	 * @param dedupeHorizon how long in event time an event id is remembered: a resend
	 * within it is left out
	 * @param metricAliases canonical metric name by another canonical name (for example
	 * {@code temp: temperature})
	 * @param expectations the data-quality rules by name, applied in order
	 */
	public record Silver(@NotBlank @DefaultValue("millrace-silver") String appIdPrefix,
			@DefaultValue("false") boolean deadLetterRejected, @NotNull @DefaultValue("10m") Duration dedupeHorizon,
			Map<String, String> metricAliases, Map<String, @Valid Rule> expectations) {

		public Silver {
			metricAliases = (metricAliases != null) ? new LinkedHashMap<>(metricAliases) : new LinkedHashMap<>();
			expectations = (expectations != null) ? new LinkedHashMap<>(expectations) : new LinkedHashMap<>();
		}

		/**
		 * @param expression the condition, for example {@code value BETWEEN -50 AND 150}
		 * @param action {@code warn}, {@code drop} or {@code fail}
		 */
		public record Rule(String expression, @DefaultValue("warn") String action) {
		}

	}

	/**
	 * @param appIdPrefix the prefix of the hourly table's transaction ids
	 * @param windowSize the tumbling window size of the finals rolled up (must divide an
	 * hour)
	 * @param grace how far past an hour's end a final of the same source partition must
	 * end before the hour is written
	 * @param interval how often complete hours are looked for
	 */
	public record Hourly(@NotBlank @DefaultValue("millrace-hourly") String appIdPrefix,
			@NotNull @DefaultValue("1m") Duration windowSize, @NotNull @DefaultValue("5m") Duration grace,
			@NotNull @DefaultValue("30s") Duration interval) {
	}

}
