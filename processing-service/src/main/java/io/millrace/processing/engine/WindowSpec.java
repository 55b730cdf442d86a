package io.millrace.processing.engine;

import java.time.Duration;

/**
 * One kind of window a pipeline computes. Every window is a half-open interval of event
 * time {@code [start, end)}: it contains the readings stamped at or after {@code start}
 * and before {@code end}. Time is handled in milliseconds.
 */
public sealed interface WindowSpec {

	/**
	 * The kind, as written in {@code window.kind} of the aggregates.
	 * @return {@code tumbling}, {@code hopping}, {@code sliding} or {@code session}
	 */
	String kind();

	/**
	 * How far past a window's start a reading may still belong to it; bounds how long
	 * state is kept.
	 * @return the longest window span
	 */
	Duration span();

	/**
	 * Fixed-size, non-overlapping windows aligned to the epoch, like Stream Analytics'
	 * tumbling window.
	 *
	 * @param size the window length
	 */
	record Tumbling(Duration size) implements WindowSpec {

		public Tumbling {
			requirePositive(size, "size");
		}

		@Override
		public String kind() {
			return "tumbling";
		}

		@Override
		public Duration span() {
			return this.size;
		}

	}

	/**
	 * Fixed-size windows that start every {@code advance}, aligned to the epoch; a
	 * reading belongs to {@code size / advance} windows.
	 *
	 * @param size the window length
	 * @param advance the distance between window starts, at most {@code size}
	 */
	record Hopping(Duration size, Duration advance) implements WindowSpec {

		public Hopping {
			requirePositive(size, "size");
			requirePositive(advance, "advance");
			if (advance.compareTo(size) > 0) {
				throw new IllegalArgumentException("A hopping window's advance (" + advance
						+ ") must not exceed its size (" + size + "); use a tumbling window");
			}
		}

		@Override
		public String kind() {
			return "hopping";
		}

		@Override
		public Duration span() {
			return this.size;
		}

	}

	/**
	 * Windows of a fixed length that end where the set of readings changes, as in Stream
	 * Analytics' sliding window: one window ends at each reading (it enters) and one at
	 * each reading's time plus {@code size} (it leaves). The window ending at instant
	 * {@code x} holds the readings in {@code (x - size, x]}, written as
	 * {@code [x - size + 1 ms, x + 1 ms)}. Empty windows are not emitted.
	 *
	 * @param size the window length
	 */
	record Sliding(Duration size) implements WindowSpec {

		public Sliding {
			requirePositive(size, "size");
		}

		@Override
		public String kind() {
			return "sliding";
		}

		@Override
		public Duration span() {
			return this.size;
		}

	}

	/**
	 * Windows of activity: readings less than {@code gap} apart form one session, which
	 * ends {@code gap} after its last reading. With a {@code maxDuration}, a reading at
	 * or beyond {@code start + maxDuration} starts a new session.
	 *
	 * @param gap the inactivity that closes a session
	 * @param maxDuration the longest a session may last, or {@code null} for no limit
	 */
	record Session(Duration gap, Duration maxDuration) implements WindowSpec {

		public Session {
			requirePositive(gap, "gap");
			if (maxDuration != null) {
				requirePositive(maxDuration, "max duration");
			}
		}

		@Override
		public String kind() {
			return "session";
		}

		@Override
		public Duration span() {
			return (this.maxDuration != null) ? this.maxDuration.plus(this.gap) : this.gap;
		}

	}

	private static void requirePositive(Duration duration, String name) {
		if (duration == null || duration.toMillis() <= 0) {
			throw new IllegalArgumentException("A window's " + name + " must be at least 1 ms, got " + duration);
		}
	}

}
