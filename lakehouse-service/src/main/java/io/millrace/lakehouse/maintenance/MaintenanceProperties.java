package io.millrace.lakehouse.maintenance;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.maintenance.*}: compaction, checkpoints and vacuum of every
 * table, each on its own schedule. Documented in docs/configuration.md.
 *
 * @param enabled run table maintenance in this instance
 * @param initialDelay wait this long after the start before the first run of each task
 * @param compaction small-file compaction
 * @param checkpoint the checkpoint check
 * @param vacuum deletion of unreferenced files
 */
@Validated
@ConfigurationProperties("millrace.lakehouse.maintenance")
public record MaintenanceProperties(@DefaultValue("true") boolean enabled,
		@NotNull @DefaultValue("1m") Duration initialDelay, @Valid @NotNull @DefaultValue Compaction compaction,
		@Valid @NotNull @DefaultValue Checkpoint checkpoint, @Valid @NotNull @DefaultValue Vacuum vacuum) {

	/**
	 * @param enabled compact small files
	 * @param interval how often each table is compacted
	 * @param targetFileSize bins are filled up to about this size
	 * @param smallFileSize files below this size are compacted
	 * @param minFiles a bin is rewritten only with at least this many files
	 */
	public record Compaction(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("1h") Duration interval,
			@NotNull @DefaultValue("128MB") DataSize targetFileSize,
			@NotNull @DefaultValue("32MB") DataSize smallFileSize, @Min(2) @DefaultValue("5") int minFiles) {

		@AssertTrue(message = "small-file-size must not exceed target-file-size")
		public boolean isSmallBelowTarget() {
			return this.smallFileSize == null || this.targetFileSize == null
					|| this.smallFileSize.toBytes() <= this.targetFileSize.toBytes();
		}

	}

	/**
	 * @param interval how often each table's latest checkpoint is checked
	 * @param maxVersionsBehind a checkpoint is written when the latest is more than this
	 * many versions old (the writers' hooks make one every 10 commits)
	 */
	public record Checkpoint(@NotNull @DefaultValue("1m") Duration interval,
			@Min(1) @DefaultValue("20") long maxVersionsBehind) {
	}

	/**
	 * @param enabled delete unreferenced files
	 * @param interval how often each table is vacuumed
	 * @param retention files younger than this, or referenced by a version within it, are
	 * kept; at least one hour (a commit in flight must never lose its files)
	 */
	public record Vacuum(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("6h") Duration interval,
			@NotNull @DefaultValue("7d") Duration retention) {

		@AssertTrue(message = "retention must be at least 1h: a writer's files are unreferenced until its commit lands")
		public boolean isRetentionSafe() {
			return this.retention == null || this.retention.compareTo(Duration.ofHours(1)) >= 0;
		}

	}

}
