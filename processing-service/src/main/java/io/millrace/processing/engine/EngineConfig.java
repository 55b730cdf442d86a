package io.millrace.processing.engine;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link StreamEngine} computes and how it treats time.
 *
 * @param windows the windows computed for every (sensor, metric), several at once
 * @param maxOutOfOrderness a partition's watermark is its newest event time minus this
 * @param allowedLateness how long after the watermark passes a window's end the window
 * still accepts late readings (re-emitting it with a higher revision); its final result
 * is emitted when the watermark passes {@code end + allowedLateness}
 * @param idleTimeout a partition without events for this long (processing time) stops
 * holding the operator watermark back, and its own windows follow the operator watermark
 * @param maxClockSkew events stamped further than this ahead of the time ingest received
 * them (or of processing time, when they do not say) are rejected
 * @param dedupeHorizon event ids are remembered until the watermark passes their event
 * time plus this
 * @param earlyEmissionInterval emit non-final results of open windows this often
 * (processing time), or {@code null} for final results only
 * @param quantileAccuracy relative accuracy of the p50/p95/p99 sketch, or 0 for no
 * quantiles
 */
public record EngineConfig(List<WindowSpec> windows, Duration maxOutOfOrderness, Duration allowedLateness,
		Duration idleTimeout, Duration maxClockSkew, Duration dedupeHorizon, Duration earlyEmissionInterval,
		double quantileAccuracy) {

	public EngineConfig {
		if (windows == null || windows.isEmpty()) {
			throw new IllegalArgumentException("At least one window is required");
		}
		windows = List.copyOf(windows);
		requireNonNegative(maxOutOfOrderness, "max out-of-orderness");
		requireNonNegative(allowedLateness, "allowed lateness");
		requireNonNegative(idleTimeout, "idle timeout");
		requireNonNegative(maxClockSkew, "max clock skew");
		requireNonNegative(dedupeHorizon, "dedupe horizon");
		if (earlyEmissionInterval != null && earlyEmissionInterval.toMillis() <= 0) {
			throw new IllegalArgumentException("The early emission interval must be positive when set");
		}
		if (quantileAccuracy < 0 || quantileAccuracy >= 1) {
			throw new IllegalArgumentException("Quantile accuracy must be in [0, 1), got " + quantileAccuracy);
		}
	}

	/**
	 * The defaults: 1-minute tumbling windows, 5 s disorder, no lateness, 30 s idleness,
	 * 5 minutes of clock skew, 10 minutes of dedupe, final results only, 1% quantiles.
	 * @return the default configuration
	 */
	public static EngineConfig defaults() {
		return new EngineConfig(List.of(new WindowSpec.Tumbling(Duration.ofMinutes(1))), Duration.ofSeconds(5),
				Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10), null, 0.01);
	}

	private static void requireNonNegative(Duration duration, String name) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("The " + name + " must be zero or positive, got " + duration);
		}
	}

}
