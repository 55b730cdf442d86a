package io.millrace.lakehouse.replay;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code POST /api/v1/replays}.
 *
 * @param from the first event time replayed (inclusive, RFC 3339)
 * @param to the end of the range (exclusive)
 * @param sensors sensor ids or patterns ({@code *} any characters, {@code ?} one); all
 * sensors when empty or absent
 * @param targetTopic where the events go; {@code telemetry-raw} when absent
 * @param ratePerSecond events per second; the configured default when absent
 */
public record ReplayRequest(Instant from, Instant to, List<String> sensors, String targetTopic, Integer ratePerSecond) {
}
