package io.millrace.model.aggregate;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The event-time interval an aggregate covers. Intervals are half-open: an event at
 * {@code start} belongs to the window, an event at {@code end} does not.
 *
 * @param kind {@code tumbling}, {@code hopping}, {@code sliding} or {@code session}
 * @param start inclusive start of the interval
 * @param end exclusive end of the interval
 * @param size length of the window (tumbling, hopping, sliding)
 * @param advance distance between window starts (hopping)
 * @param gap inactivity gap that closes the window (session)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AggregateWindow(String kind, Instant start, Instant end, Duration size, Duration advance, Duration gap) {

	public static final String TUMBLING = "tumbling";

	/**
	 * A tumbling window of the given size starting at {@code start}.
	 * @param start inclusive start
	 * @param size length of the window
	 * @return the window
	 */
	public static AggregateWindow tumbling(Instant start, Duration size) {
		return new AggregateWindow(TUMBLING, start, start.plus(size), size, null, null);
	}

}
