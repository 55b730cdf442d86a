package io.millrace.processing.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.millrace.processing.engine.EngineConfig;
import io.millrace.processing.engine.WindowSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How processing-service windows the stream. See docs/configuration.md.
 *
 * @param windows the windows computed for every (sensor, metric)
 * @param maxOutOfOrderness a partition's watermark is its newest event time minus this
 * @param allowedLateness how long after the watermark passes a window's end late readings
 * still update it (re-emitted with a higher revision); final results come at
 * {@code end + allowedLateness}
 * @param idleTimeout a partition quiet for this long stops holding the watermark back
 * @param maxClockSkew events stamped further ahead of now are dead-lettered
 * @param dedupeHorizon event ids are remembered for this much event time
 * @param earlyEmissionInterval emit non-final results of open windows this often; unset
 * for final results only
 * @param quantileAccuracy relative accuracy of p50/p95/p99; 0 turns quantiles off
 * @param tickInterval how often idleness and early emission are checked without events
 * @param progressInterval the length of one batch in {@code /actuator/streamingprogress}
 * @param checkpoint where and how often partition state is checkpointed
 * @param emitSketches whether aggregates carry their quantile sketch ({@code sketch}), so
 * that consumers can merge windows' quantiles; only when quantiles are on
 */
@Validated
@ConfigurationProperties("millrace.processing")
public record ProcessingProperties(@NotEmpty @Valid List<Window> windows,
		@NotNull @DefaultValue("5s") Duration maxOutOfOrderness, @NotNull @DefaultValue("0s") Duration allowedLateness,
		@NotNull @DefaultValue("30s") Duration idleTimeout, @NotNull @DefaultValue("5m") Duration maxClockSkew,
		@NotNull @DefaultValue("10m") Duration dedupeHorizon, Duration earlyEmissionInterval,
		@DecimalMin("0") @DecimalMax("0.5") @DefaultValue("0.01") double quantileAccuracy,
		@NotNull @DefaultValue("1s") Duration tickInterval, @NotNull @DefaultValue("10s") Duration progressInterval,
		@NotNull @Valid @DefaultValue Checkpoint checkpoint, @DefaultValue("true") boolean emitSketches) {

	public ProcessingProperties {
		if (windows == null) {
			windows = List.of(new Window("tumbling", Duration.ofMinutes(1), null, null, null));
		}
	}

	EngineConfig engineConfig() {
		return new EngineConfig(this.windows.stream().map(Window::spec).toList(), this.maxOutOfOrderness,
				this.allowedLateness, this.idleTimeout, this.maxClockSkew, this.dedupeHorizon,
				this.earlyEmissionInterval, this.quantileAccuracy);
	}

	/**
	 * One window of the pipeline.
	 *
	 * @param kind {@code tumbling}, {@code hopping}, {@code sliding} or {@code session}
	 * @param size length (tumbling, hopping, sliding)
	 * @param advance distance between starts (hopping)
	 * @param gap inactivity that closes a session (session)
	 * @param maxDuration longest session, unset for no limit (session)
	 */
	public record Window(@NotNull @DefaultValue("tumbling") String kind, @DefaultValue("1m") Duration size,
			Duration advance, Duration gap, Duration maxDuration) {

		WindowSpec spec() {
			return switch (this.kind) {
				case "tumbling" -> new WindowSpec.Tumbling(this.size);
				case "hopping" -> new WindowSpec.Hopping(this.size, this.advance);
				case "sliding" -> new WindowSpec.Sliding(this.size);
				case "session" -> new WindowSpec.Session(this.gap, this.maxDuration);
				default -> throw new IllegalArgumentException(
						"Unknown window kind '" + this.kind + "'; use tumbling, hopping, sliding or session");
			};
		}

	}

	/**
	 * Checkpoints of partition state.
	 *
	 * @param directory the local directory checkpoints are written to (one object per
	 * input partition); on Kubernetes, a persistent volume
	 * @param interval how often changed partitions are checkpointed; results are
	 * published at checkpoints, so this is also the most they are held back
	 * @param deliveryTimeout how long a checkpoint waits for the previous checkpoint's
	 * records to be acknowledged before it is postponed
	 */
	public record Checkpoint(@NotNull @DefaultValue("data/checkpoints") Path directory,
			@NotNull @DefaultValue("1s") Duration interval, @NotNull @DefaultValue("30s") Duration deliveryTimeout) {

	}

}
