package io.millrace.lakehouse;

import java.nio.file.Path;
import java.time.Duration;

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
 */
@Validated
@ConfigurationProperties("millrace.lakehouse")
public record LakehouseProperties(@NotNull @DefaultValue(".millrace/lakehouse") Path root,
		@Valid @NotNull @DefaultValue Commit commit, @Valid @NotNull @DefaultValue Bronze bronze,
		@Valid @NotNull @DefaultValue Gold gold) {

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

}
