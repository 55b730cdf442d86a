package io.millrace.lakehouse.gold;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.millrace.lakehouse.delta.CommitResult;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.FencedException;
import io.millrace.lakehouse.sink.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls Gold's final window aggregates up into {@code gold/hourly_metrics}, from the
 * table (not the stream), so it is rebuilt from nothing after any crash:
 * <ul>
 * <li>only the finest windows count: tumbling finals of the configured size (1 minute by
 * default), whose count, sum, min and max merge exactly;</li>
 * <li>per source partition of {@code telemetry-aggregates} (a sensor's finals are all in
 * one), an hour is <b>complete</b> once a final of that partition ends at least the grace
 * after the hour's end: processing-service emits a window's final once its watermark has
 * passed the window's end and allowed lateness, in order, so a final past the hour means
 * the hour's finals are all in;</li>
 * <li>complete hours are written once per partition, exactly once: the commit's
 * transaction id is {@code <prefix>-p<partition>} with the last complete hour (hours
 * since the epoch) as version, conditional on the one before. A final arriving for an
 * hour already written is in {@code window_aggregates} but not in the hour.</li>
 * </ul>
 * Run on a timer by the instance that owns the partition's Gold input.
 */
public final class HourlyRollup {

	private static final Logger logger = LoggerFactory.getLogger(HourlyRollup.class);

	private static final long HOUR_MICROS = 3_600_000_000L;

	private final DeltaTableWriter hourly;

	private final DeltaTableReader finals;

	private final Supplier<Set<String>> partitions;

	private final String appIdPrefix;

	private final long windowSizeMs;

	private final long graceMicros;

	private final Clock clock;

	private final Listener listener;

	/**
	 * @param hourly the hourly table
	 * @param finals reads {@code gold/window_aggregates}
	 * @param partitions the source partitions whose Gold input this instance owns
	 * @param appIdPrefix the hourly table's transaction-id prefix
	 * @param windowSize the size of the tumbling windows rolled up
	 * @param grace how far past an hour's end a final must end for the hour to be
	 * complete
	 * @param clock the roll-up time
	 * @param listener metrics
	 */
	public HourlyRollup(DeltaTableWriter hourly, DeltaTableReader finals, Supplier<Set<String>> partitions,
			String appIdPrefix, Duration windowSize, Duration grace, Clock clock, Listener listener) {
		if (windowSize.isZero() || windowSize.isNegative()
				|| Duration.ofHours(1).toMillis() % windowSize.toMillis() != 0) {
			throw new IllegalArgumentException("The hourly roll-up's window size " + windowSize
					+ " must divide an hour (so that each window is in exactly one hour)");
		}
		this.hourly = hourly;
		this.finals = finals;
		this.partitions = partitions;
		this.appIdPrefix = appIdPrefix;
		this.windowSizeMs = windowSize.toMillis();
		this.graceMicros = Math.multiplyExact(grace.toMillis(), 1000L);
		this.clock = clock;
		this.listener = listener;
	}

	/**
	 * Roll up every owned partition's complete hours; a failure is logged and retried.
	 */
	public void run() {
		for (String partition : this.partitions.get()) {
			try {
				rollUp(partition);
			}
			catch (FencedException ex) {
				logger.info("Hourly roll-up of partition {}: {}", partition, ex.getMessage());
			}
			catch (RuntimeException ex) {
				this.listener.failed();
				logger.warn("Hourly roll-up of partition {} failed; retried on the next run", partition, ex);
			}
		}
	}

	/**
	 * @param partition a source partition of {@code telemetry-aggregates}
	 * @return the hourly rows committed
	 */
	public long rollUp(String partition) {
		String appId = this.appIdPrefix + "-p" + partition;
		Optional<Long> done = this.hourly.committedVersion(appId);
		// Finals of the partition from the first hour not written yet.
		long from = done.map((hour) -> (hour + 1) * HOUR_MICROS).orElse(Long.MIN_VALUE);
		List<Map<String, Object>> rows = this.finals.rows(
				List.of("sensor_id", "metric", "window_kind", "window_start", "window_end", "window_size_ms", "count",
						"sum", "min", "max", "source_partition"),
				Optional.of(done.isEmpty() ? DeltaTableReader.equalTo("source_partition", partition)
						: DeltaTableReader.and(DeltaTableReader.equalTo("source_partition", partition),
								DeltaTableReader.timestampAtLeast("window_start", from))));
		long maxEnd = Long.MIN_VALUE;
		List<Map<String, Object>> open = new ArrayList<>();
		for (Map<String, Object> row : rows) {
			if (!partition.equals(row.get("source_partition")) || !"tumbling".equals(row.get("window_kind"))
					|| !Long.valueOf(this.windowSizeMs).equals(row.get("window_size_ms"))) {
				continue;
			}
			long end = (Long) row.get("window_end");
			maxEnd = Math.max(maxEnd, end);
			if ((Long) row.get("window_start") >= from) {
				open.add(row);
			}
		}
		if (maxEnd == Long.MIN_VALUE) {
			return 0;
		}
		// The last hour whose end the partition's finals have passed by the grace.
		long complete = Math.floorDiv(maxEnd - this.graceMicros, HOUR_MICROS) - 1;
		if (done.isPresent() && complete <= done.get()) {
			return 0;
		}
		Map<String, Hour> hours = new TreeMap<>();
		for (Map<String, Object> row : open) {
			long hour = Math.floorDiv((Long) row.get("window_start"), HOUR_MICROS);
			if (hour > complete) {
				continue;
			}
			String key = row.get("sensor_id") + "\u0000" + row.get("metric") + "\u0000" + hour;
			hours.computeIfAbsent(key, (k) -> new Hour((String) row.get("sensor_id"), (String) row.get("metric"), hour))
				.add((Long) row.get("count"), (Double) row.get("sum"), (Double) row.get("min"),
						(Double) row.get("max"));
		}
		long now = Timestamps.micros(this.clock.instant());
		List<Object[]> out = new ArrayList<>(hours.size());
		for (Hour hour : hours.values()) {
			out.add(hour.row(this.windowSizeMs, partition, now));
		}
		CommitResult result = this.hourly.append(appId, done, complete, out);
		this.listener.committed(result.rows());
		logger.debug("Rolled up {} hours of partition {} up to hour {} ({} rows)", hours.size(), partition, complete,
				result.rows());
		return result.rows();
	}

	/** One (sensor, metric, hour) being summed. */
	private static final class Hour {

		private final String sensor;

		private final String metric;

		private final long hour;

		private long count;

		private double sum;

		private double min = Double.POSITIVE_INFINITY;

		private double max = Double.NEGATIVE_INFINITY;

		private int windows;

		Hour(String sensor, String metric, long hour) {
			this.sensor = sensor;
			this.metric = metric;
			this.hour = hour;
		}

		void add(long count, double sum, double min, double max) {
			this.count += count;
			this.sum += sum;
			this.min = Math.min(this.min, min);
			this.max = Math.max(this.max, max);
			this.windows++;
		}

		Object[] row(long windowSizeMs, String partition, long now) {
			long start = this.hour * HOUR_MICROS;
			return new Object[] { this.sensor, this.metric, start, start + HOUR_MICROS, this.count, this.sum, this.min,
					this.max, (this.count > 0) ? this.sum / this.count : 0.0, this.windows, windowSizeMs, partition,
					now, Timestamps.utcDay(Timestamps.instant(start)) };
		}

	}

	/** What the roll-up reports, for metrics. */
	public interface Listener {

		Listener NONE = new Listener() {
		};

		/**
		 * @param rows hourly rows committed
		 */
		default void committed(long rows) {
		}

		default void failed() {
		}

	}

}
