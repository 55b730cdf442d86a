package io.millrace.lakehouse.silver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.lakehouse.sink.RowMapper;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.lakehouse.sink.Timestamps;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.model.telemetry.TelemetryEvent;
import io.millrace.model.sensor.SensorRegistrySnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each event of {@code telemetry-raw} into its Silver readings, one per metric:
 * <ol>
 * <li><b>validated</b>: an event without a finite measurement is left out (counted);</li>
 * <li><b>deduplicated</b> by {@code eventId} within the horizon ({@link EventIdMemory}
 * per source partition — a sensor's events are all in one partition, so are its
 * resends);</li>
 * <li><b>standardized</b>: event time in UTC, metric names canonical (lower snake case,
 * then the configured aliases);</li>
 * <li><b>enriched</b> with the sensor registry ({@link SensorRegistrySnapshot});</li>
 * <li><b>checked</b> by the expectations: {@code warn} keeps the reading and names the
 * rule in {@code warnings}, {@code drop} sends it to quarantine, {@code fail} throws
 * {@link ExpectationFailedException}.</li>
 * </ol>
 * The result of a record is one {@link RecordOutcome}, carried to {@link SilverCommitter}
 * as a one-cell row.
 */
public final class SilverPipeline implements RowMapper<TelemetryEvent> {

	private static final Logger logger = LoggerFactory.getLogger(SilverPipeline.class);

	private final List<Expectation> expectations;

	private final Map<String, String> aliases;

	private final long horizonMicros;

	private final SensorRegistrySnapshot registry;

	private final AdmittedHistory history;

	private final SilverListener listener;

	private final Map<String, EventIdMemory> memories = new ConcurrentHashMap<>();

	/**
	 * @param expectations the rules, in order
	 * @param aliases canonical metric name by alias (both canonical already)
	 * @param horizon how long in event time an event id is remembered
	 * @param registry the sensor registry
	 * @param history the admitted events the tables hold, to rebuild the dedupe memory
	 * @param listener metrics
	 */
	public SilverPipeline(List<Expectation> expectations, Map<String, String> aliases, Duration horizon,
			SensorRegistrySnapshot registry, AdmittedHistory history, SilverListener listener) {
		this.expectations = List.copyOf(expectations);
		this.aliases = Map.copyOf(aliases);
		this.horizonMicros = Math.multiplyExact(horizon.toMillis(), 1000L);
		this.registry = registry;
		this.history = history;
		this.listener = listener;
	}

	public List<Expectation> expectations() {
		return this.expectations;
	}

	@Override
	public Object[] toRow(SourceRecord<TelemetryEvent> record, long writtenAtMicros) {
		TelemetryEvent event = record.value();
		Map<String, Double> metrics = metrics(event);
		if (metrics.isEmpty()) {
			this.listener.invalid("no-metrics");
			return null;
		}
		EventIdMemory memory = memory(record.partition());
		if (event.eventId() != null && memory.contains(event.eventId())) {
			this.listener.duplicate();
			return null;
		}
		long eventTime = Timestamps.micros(event.timestamp());
		Optional<SensorMetadata> sensor = this.registry.get(event.sensorId());
		int[] passed = new int[this.expectations.size()];
		int[] failed = new int[this.expectations.size()];
		List<Object[]> kept = new ArrayList<>(metrics.size());
		List<Object[]> quarantined = new ArrayList<>(0);
		for (Map.Entry<String, Double> metric : metrics.entrySet()) {
			String canonical = canonical(metric.getKey());
			if (canonical.isEmpty()) {
				this.listener.invalid("bad-metric-name");
				continue;
			}
			Reading reading = reading(record, event, eventTime, canonical, metric.getKey(), metric.getValue(), sensor,
					writtenAtMicros);
			List<String> warned = new ArrayList<>(0);
			List<String> dropped = new ArrayList<>(0);
			List<String> reasons = new ArrayList<>(0);
			for (int i = 0; i < this.expectations.size(); i++) {
				Expectation expectation = this.expectations.get(i);
				if (expectation.test(reading)) {
					passed[i]++;
					continue;
				}
				failed[i]++;
				switch (expectation.action()) {
					case WARN -> warned.add(expectation.name());
					case DROP -> {
						dropped.add(expectation.name());
						reasons.add(expectation.reason(reading));
					}
					case FAIL -> throw stop(expectation, reading);
				}
			}
			if (dropped.isEmpty()) {
				kept.add(SilverTables.readingRow(reading, warned.isEmpty() ? null : String.join(",", warned)));
			}
			else {
				quarantined
					.add(SilverTables.quarantineRow(reading, String.join(",", dropped), String.join("; ", reasons)));
			}
		}
		if (kept.isEmpty() && quarantined.isEmpty()) {
			return null;
		}
		if (event.eventId() != null) {
			memory.remember(event.eventId(), eventTime);
		}
		return new Object[] { new RecordOutcome(record.offset(), kept, quarantined, passed, failed) };
	}

	private ExpectationFailedException stop(Expectation expectation, Reading reading) {
		this.listener.stopped(expectation);
		String message = "Expectation '" + expectation.name() + "' (action fail) failed for event " + reading.eventId()
				+ " of sensor " + reading.sensorId() + ", metric " + reading.metric() + " at "
				+ Timestamps.instant(reading.eventTimeMicros()) + " (partition " + reading.sourcePartition()
				+ ", offset " + reading.sourceOffset() + "): " + expectation.reason(reading)
				+ ". Silver stops here: nothing at or after this record is committed until the rule or the data is "
				+ "fixed";
		logger.error(message);
		return new ExpectationFailedException(message);
	}

	private static Map<String, Double> metrics(TelemetryEvent event) {
		Map<String, Double> metrics = new LinkedHashMap<>();
		if (event.value() != null && Double.isFinite(event.value())) {
			metrics.put("value", event.value());
		}
		if (event.measurements() != null) {
			event.measurements()
				.entrySet()
				.stream()
				.filter((m) -> m.getKey() != null && m.getValue() != null && Double.isFinite(m.getValue()))
				.sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
				.forEach((m) -> metrics.put(m.getKey(), m.getValue()));
		}
		return metrics;
	}

	private Reading reading(SourceRecord<TelemetryEvent> record, TelemetryEvent event, long eventTime, String canonical,
			String sourceMetric, double value, Optional<SensorMetadata> sensor, long writtenAt) {
		SensorMetadata metadata = sensor.orElse(null);
		SensorMetadata.Location location = (metadata != null) ? metadata.location() : null;
		String unit = (metadata != null) ? metadata.units().getOrDefault(canonical, metadata.units().get(sourceMetric))
				: null;
		return new Reading(event.eventId(), event.sensorId(), eventTime, canonical, sourceMetric, value, unit,
				(metadata != null) ? metadata.name() : null, (location != null) ? location.site() : null,
				(location != null) ? location.latitude() : null, (location != null) ? location.longitude() : null,
				(metadata != null) ? Map.copyOf(metadata.tags()) : null,
				(event.tags() != null) ? withoutNulls(event.tags()) : null, Timestamps.micros(event.ingestedAt()),
				record.partition(), record.offset(), writtenAt);
	}

	private static Map<String, String> withoutNulls(Map<String, String> tags) {
		Map<String, String> copy = new LinkedHashMap<>();
		tags.forEach((key, value) -> {
			if (key != null) {
				copy.put(key, value);
			}
		});
		return copy;
	}

	/**
	 * The canonical form of a metric name: camelCase split, lower case, every run of
	 * other characters one {@code _}, no {@code _} at the ends; then the alias, if one is
	 * configured. {@code "Air Temperature"}, {@code "airTemperature"} and
	 * {@code "air-temperature"} are all {@code air_temperature}.
	 * @param name a metric name as sent
	 * @return its canonical name (empty when nothing is left)
	 */
	public String canonical(String name) {
		String snake = canonicalForm(name);
		return this.aliases.getOrDefault(snake, snake);
	}

	/**
	 * @param name a metric name
	 * @return its canonical form, without aliases
	 */
	public static String canonicalForm(String name) {
		String split = name.trim().replaceAll("([a-z0-9])([A-Z])", "$1_$2");
		return split.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
	}

	private EventIdMemory memory(String partition) {
		return this.memories.computeIfAbsent(partition, (p) -> new EventIdMemory(this.horizonMicros));
	}

	/**
	 * Rebuild the partition's dedupe memory from the events Silver and its quarantine
	 * hold up to the committed offset, in offset order: the same memory as if this
	 * instance had processed them.
	 */
	@Override
	public void resumed(String partition, Optional<Long> committed) {
		EventIdMemory memory = new EventIdMemory(this.horizonMicros);
		if (committed.isPresent()) {
			List<AdmittedHistory.Admitted> admitted = new ArrayList<>(
					this.history.admitted(partition, committed.get(), this.horizonMicros));
			admitted.sort(Comparator.comparingLong(AdmittedHistory.Admitted::offset));
			for (AdmittedHistory.Admitted event : admitted) {
				memory.remember(event.eventId(), event.eventTimeMicros());
			}
			logger.info("Silver dedupe memory of partition {} rebuilt from {} admitted events up to offset {}: {} ids "
					+ "within the horizon", partition, admitted.size(), committed.get(), memory.size());
		}
		this.memories.put(partition, memory);
	}

	@Override
	public void revoked(String partition) {
		this.memories.remove(partition);
	}

}
