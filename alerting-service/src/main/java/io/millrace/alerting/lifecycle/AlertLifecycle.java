package io.millrace.alerting.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * The rules and alert-lifecycle engine: evaluates every rule on final window aggregates,
 * raw readings and processing-time ticks, and returns the lifecycle transitions as
 * {@link AlertEvent}s (firing, resolved). Pending is not notified; it shows in
 * {@link #active()}.
 * <p>
 * Per series (rule + sensor + metric, one {@code fingerprint}):
 *
 * <pre>
 *             condition holds                 held for 'for'
 *  inactive ─────────────────► pending ─────────────────────► firing ──► (event: firing)
 *     ▲                           │                              │
 *     └───── condition stops ─────┘                              │ resolve side reached and
 *     ▲                                                          │ 'keepFiringFor' passed
 *     └──────────────────────────────────────────────────────────┘ (event: resolved)
 * </pre>
 *
 * Time: whether a condition holds, and for how long ({@code for}, {@code keepFiringFor}),
 * is measured in event time: a window's end, a reading's timestamp. Absence and no data
 * are measured in processing time: the receipt time each input carries ({@code emittedAt}
 * of an aggregate, {@code ingestedAt} of a reading) against the {@code now} of
 * {@link #advance}. No clock is read here, and every event's id derives from its content,
 * so the same input gives the same events; only events fired by {@link #advance} depend
 * on when it is called, and even those carry times derived from the input
 * ({@code startsAt} of an absence is the last receipt plus {@code after}).
 * <p>
 * State is kept per input partition (every topic is keyed by sensor, so a series lives in
 * one partition) and can be snapshotted, restored and released like the runtime's
 * operators.
 * <p>
 * Only final windows are read: an early result can be contradicted by the final one, and
 * firing on it would notify, then resolve, the same window. The fast path is an
 * {@code instant} rule on raw readings.
 * <p>
 * Thread-safe (every public method is synchronized), though the runtime calls it from one
 * thread.
 */
public final class AlertLifecycle {

	/** "MRA" and format version 1: DataOutput, every string in full. */
	private static final int SNAPSHOT_MAGIC_V1 = 0x4D524101;

	/** "MRA" and format version 2: {@link CompactOutput}. */
	private static final int SNAPSHOT_MAGIC = 0x4D524102;

	/** "MRAc": the changes since the last snapshot, format version 2. */
	private static final int CHANGES_MAGIC = 0x4D524163;

	private final SensorTags sensorTags;

	private Map<String, CompiledRule> rules = new TreeMap<>();

	private final Map<String, Map<String, Series>> partitions = new TreeMap<>();

	/**
	 * Per partition, the series changed (or removed) since its last snapshot, full or
	 * changes, in the order they first changed: what {@link #snapshotChanges} writes.
	 */
	private final Map<String, Set<String>> changed = new HashMap<>();

	/**
	 * @param rules the rules, valid ({@link RuleValidator})
	 * @param sensorTags the sensor registry's tags, for selectors by tag
	 * @throws IllegalArgumentException if a rule is invalid or two share an id
	 */
	public AlertLifecycle(Collection<Rule> rules, SensorTags sensorTags) {
		this.sensorTags = sensorTags;
		replaceRules(rules);
	}

	/**
	 * Evaluate with another set of rules from now on. State of a removed or changed rule
	 * is retired the next time its series is touched (an input or {@link #advance}): a
	 * firing alert is resolved, then a changed rule starts over.
	 * @param rules the rules, valid
	 * @throws IllegalArgumentException if a rule is invalid or two share an id
	 */
	public synchronized void replaceRules(Collection<Rule> rules) {
		Map<String, CompiledRule> compiled = new TreeMap<>();
		for (Rule rule : rules) {
			if (compiled.put(rule.id(), new CompiledRule(rule)) != null) {
				throw new IllegalArgumentException("Two rules have the id " + rule.id());
			}
		}
		this.rules = compiled;
	}

	/**
	 * Evaluate the window rules on one aggregate. Non-final results, and windows that do
	 * not end after the last one a series evaluated (replays, out of order), change
	 * nothing.
	 * @param partition the input partition it came from
	 * @param aggregate the aggregate
	 * @return the transitions it caused, in rule-id order
	 */
	public synchronized List<AlertEvent> onAggregate(String partition, WindowAggregate aggregate) {
		List<AlertEvent> out = new ArrayList<>();
		if (!aggregate.isFinal()) {
			return out;
		}
		long at = aggregate.window().end().toEpochMilli();
		long received = (aggregate.emittedAt() != null) ? aggregate.emittedAt().toEpochMilli() : at;
		for (CompiledRule compiled : this.rules.values()) {
			Rule rule = compiled.rule;
			if (!rule.kind().readsWindows() || !rule.metric().equals(aggregate.metric())
					|| (rule.window() != null && !rule.window().accepts(aggregate.window()))
					|| !compiled.selects(aggregate.sensorId(), this.sensorTags, null)) {
				continue;
			}
			Series series = series(partition, compiled, aggregate.sensorId(), rule.metric(), received, out);
			if (series.lastEvaluated != Series.NONE && at <= series.lastEvaluated) {
				continue;
			}
			series.lastEvaluated = at;
			series.lastReceived = Math.max(series.lastReceived, received);
			series.noDataHandled = false;
			series.lastWindow = aggregate.window();
			Double value = rule.statistic().of(aggregate);
			if (value == null || value.isNaN()) {
				continue;
			}
			Observation observation = switch (rule.kind()) {
				case THRESHOLD -> Observation.compare(rule, value);
				case RATE_OF_CHANGE -> rateOfChange(rule, series, value);
				case ANOMALY -> anomaly(rule, series, value);
				default -> throw new IllegalStateException("Not a window rule: " + rule.kind());
			};
			if (observation != null) {
				step(compiled, series, at, observation, aggregate.window(), out);
			}
		}
		return out;
	}

	/**
	 * Evaluate the instant rules on one raw reading, and note it for the absence rules
	 * (resolving an absence alert of its sensor). Readings older than the last one a
	 * series evaluated are ignored by the instant rules.
	 * @param partition the input partition it came from
	 * @param event the reading
	 * @return the transitions it caused, in rule-id order
	 */
	public synchronized List<AlertEvent> onEvent(String partition, TelemetryEvent event) {
		List<AlertEvent> out = new ArrayList<>();
		long at = event.timestamp().toEpochMilli();
		long received = (event.ingestedAt() != null) ? event.ingestedAt().toEpochMilli() : at;
		Map<String, Double> readings = event.metrics();
		for (CompiledRule compiled : this.rules.values()) {
			Rule rule = compiled.rule;
			if (rule.kind() == RuleKind.INSTANT) {
				Double reading = readings.get(rule.metric());
				if (reading == null || reading.isNaN()
						|| !compiled.selects(event.sensorId(), this.sensorTags, event.tags())) {
					continue;
				}
				Series series = series(partition, compiled, event.sensorId(), rule.metric(), received, out);
				if (series.lastEvaluated != Series.NONE && at < series.lastEvaluated) {
					continue;
				}
				series.lastEvaluated = at;
				series.lastReceived = Math.max(series.lastReceived, received);
				step(compiled, series, at, Observation.compare(rule, reading), null, out);
			}
			else if (rule.kind() == RuleKind.ABSENCE) {
				if ((rule.metric() != null && !readings.containsKey(rule.metric()))
						|| !compiled.selects(event.sensorId(), this.sensorTags, event.tags())) {
					continue;
				}
				Series series = series(partition, compiled, event.sensorId(), rule.metricKey(), received, out);
				if (series.phase == AlertState.FIRING) {
					double silentSeconds = (received - series.lastReceived) / 1000.0;
					series.lastValue = silentSeconds;
					resolve(compiled, series, Math.max(received, series.since), silentSeconds, null, out);
				}
				series.lastReceived = Math.max(series.lastReceived, received);
				series.lastEvaluated = Math.max(series.lastEvaluated, at);
			}
		}
		return out;
	}

	/**
	 * Processing time passed: fire absence alerts whose sensors have been silent for
	 * their {@code after}, apply no-data handling, and retire the series of removed or
	 * changed rules.
	 * @param partition the input partition
	 * @param now processing time
	 * @return the transitions, in series order (rule id, sensor, metric)
	 */
	public synchronized List<AlertEvent> advance(String partition, Instant now) {
		List<AlertEvent> out = new ArrayList<>();
		Map<String, Series> state = this.partitions.get(partition);
		if (state == null) {
			return out;
		}
		long nowMillis = now.toEpochMilli();
		for (Iterator<Series> it = state.values().iterator(); it.hasNext();) {
			Series series = it.next();
			CompiledRule compiled = this.rules.get(series.ruleId);
			if (compiled == null || !compiled.hash.equals(series.ruleHash)) {
				retire(compiled, series, nowMillis, out);
				it.remove();
				changed(partition, series);
				continue;
			}
			Rule rule = compiled.rule;
			if (rule.kind() == RuleKind.ABSENCE) {
				long due = series.lastReceived + rule.after().toMillis();
				if (series.phase != AlertState.FIRING && nowMillis >= due) {
					changed(partition, series);
					series.since = due;
					series.lastValue = rule.after().toMillis() / 1000.0;
					fire(compiled, series, series.lastValue, series.lastValue, null, Map.of(), out);
				}
			}
			else if (rule.noData() != null && !series.noDataHandled
					&& nowMillis >= series.lastReceived + rule.noData().after().toMillis()) {
				changed(partition, series);
				series.noDataHandled = true;
				noData(compiled, series, series.lastReceived + rule.noData().after().toMillis(), out);
			}
		}
		return out;
	}

	/**
	 * The input partitions this engine holds state for: those {@link #advance} can
	 * change.
	 * @return them, ordered
	 */
	public synchronized List<String> partitions() {
		return List.copyOf(this.partitions.keySet());
	}

	/**
	 * The series that are pending or firing now, in every partition.
	 * @return them, ordered by partition, rule, sensor and metric
	 */
	public synchronized List<ActiveAlert> active() {
		List<ActiveAlert> active = new ArrayList<>();
		this.partitions.forEach((partition, state) -> state.values().forEach((series) -> {
			if (series.phase != AlertState.INACTIVE) {
				active.add(new ActiveAlert(series.ruleId, series.fingerprint(), series.sensorId, series.metric,
						series.phase, Instant.ofEpochMilli(series.since), series.lastValue, partition));
			}
		}));
		return active;
	}

	/**
	 * The state of one input partition: the same state gives the same bytes. The changes
	 * after it start here.
	 * @param partition the input partition
	 * @return the bytes for {@link #restore}
	 */
	public synchronized byte[] snapshot(String partition) {
		Map<String, Series> state = this.partitions.getOrDefault(partition, Map.of());
		CompactOutput out = new CompactOutput(64 + state.size() * 80);
		out.writeInt(SNAPSHOT_MAGIC);
		out.writeVarInt(state.size());
		for (Series series : state.values()) {
			series.writeCompact(out);
		}
		this.changed.remove(partition);
		return out.toByteArray();
	}

	/**
	 * What changed in one input partition since its last snapshot, full or changes: each
	 * series touched since, whole, or that it is gone. Its size follows the series
	 * touched, not the state. The next changes start here.
	 * @param partition the input partition
	 * @return the bytes for {@link #restore(String, byte[], List)}
	 */
	public synchronized byte[] snapshotChanges(String partition) {
		Map<String, Series> state = this.partitions.getOrDefault(partition, Map.of());
		Set<String> keys = this.changed.remove(partition);
		if (keys == null) {
			keys = Set.of();
		}
		CompactOutput out = new CompactOutput(64 + keys.size() * 80);
		out.writeInt(CHANGES_MAGIC);
		out.writeVarInt(keys.size());
		for (String key : keys) {
			Series series = state.get(key);
			out.writeBoolean(series != null);
			if (series != null) {
				series.writeCompact(out);
			}
			else {
				out.writeString(key);
			}
		}
		return out.toByteArray();
	}

	/**
	 * Take over an input partition's state, replacing what this engine had for it. State
	 * of rules that are gone or changed since is retired by the next {@link #advance}.
	 * @param partition the input partition
	 * @param snapshot bytes from {@link #snapshot}
	 * @throws IllegalArgumentException if the bytes are not such a snapshot
	 */
	public synchronized void restore(String partition, byte[] snapshot) {
		restore(partition, snapshot, List.of());
	}

	/**
	 * Take over an input partition from a snapshot and the changes taken after it, in
	 * order; replaces what this engine had for it.
	 * @param partition the input partition
	 * @param snapshot bytes from {@link #snapshot}
	 * @param changes bytes from {@link #snapshotChanges}, in the order they were taken
	 * @throws IllegalArgumentException if the bytes are not such a snapshot or changes
	 */
	public synchronized void restore(String partition, byte[] snapshot, List<byte[]> changes) {
		Map<String, Series> state = read(snapshot);
		for (byte[] delta : changes) {
			apply(state, delta);
		}
		this.partitions.put(partition, state);
		this.changed.remove(partition);
	}

	private static Map<String, Series> read(byte[] snapshot) {
		Map<String, Series> state = new TreeMap<>();
		try {
			int magic = (snapshot.length >= 4) ? new CompactInput(snapshot, 0).readInt() : 0;
			if (magic == SNAPSHOT_MAGIC_V1) {
				DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot, 4, snapshot.length - 4));
				int count = in.readInt();
				for (int i = 0; i < count; i++) {
					put(state, Series.readFrom(in));
				}
			}
			else if (magic == SNAPSHOT_MAGIC) {
				CompactInput in = new CompactInput(snapshot, 4);
				int count = in.readVarInt();
				for (int i = 0; i < count; i++) {
					put(state, Series.readCompact(in));
				}
			}
			else {
				throw new IllegalArgumentException("Not an alert lifecycle snapshot (or an unknown format version)");
			}
		}
		catch (IOException | RuntimeException ex) {
			throw (ex instanceof IllegalArgumentException illegal) ? illegal
					: new IllegalArgumentException("Not a readable alert lifecycle snapshot", ex);
		}
		return state;
	}

	private static void apply(Map<String, Series> state, byte[] changes) {
		try {
			CompactInput in = new CompactInput(changes, 0);
			if (changes.length < 4 || in.readInt() != CHANGES_MAGIC) {
				throw new IllegalArgumentException("Not alert lifecycle changes (or an unknown format version)");
			}
			int count = in.readVarInt();
			for (int i = 0; i < count; i++) {
				if (in.readBoolean()) {
					put(state, Series.readCompact(in));
				}
				else {
					state.remove(in.readString());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			throw (ex instanceof IllegalArgumentException illegal) ? illegal
					: new IllegalArgumentException("Not readable alert lifecycle changes", ex);
		}
	}

	private static void put(Map<String, Series> state, Series series) {
		state.put(Series.key(series.ruleId, series.sensorId, series.metric), series);
	}

	/**
	 * Forget an input partition (it moved to another instance).
	 * @param partition the input partition
	 */
	public synchronized void release(String partition) {
		this.partitions.remove(partition);
		this.changed.remove(partition);
	}

	private Series series(String partition, CompiledRule compiled, String sensorId, String metric, long received,
			List<AlertEvent> out) {
		Map<String, Series> state = this.partitions.computeIfAbsent(partition, (p) -> new TreeMap<>());
		String key = Series.key(compiled.rule.id(), sensorId, metric);
		Series series = state.get(key);
		if (series != null && !series.ruleHash.equals(compiled.hash)) {
			retire(compiled, series, received, out);
			series = null;
		}
		if (series == null) {
			series = new Series(compiled.rule.id(), sensorId, metric, compiled.hash);
			series.lastReceived = received;
			state.put(key, series);
		}
		// Whoever asks for a series is about to change it.
		this.changed.computeIfAbsent(partition, (p) -> new LinkedHashSet<>()).add(key);
		return series;
	}

	private void changed(String partition, Series series) {
		this.changed.computeIfAbsent(partition, (p) -> new LinkedHashSet<>())
			.add(Series.key(series.ruleId, series.sensorId, series.metric));
	}

	/** A series whose rule was removed or changed: resolve what it fired. */
	private void retire(CompiledRule current, Series series, long at, List<AlertEvent> out) {
		if (series.phase == AlertState.FIRING) {
			// The old definition made the alert; the new one (if any) re-fires it if it
			// still holds. The resolved event keeps the firing event's text.
			resolve(null, series, Math.max(at, series.since), series.lastValue, series.lastWindow, out);
		}
	}

	private void step(CompiledRule compiled, Series series, long at, Observation observation, AggregateWindow window,
			List<AlertEvent> out) {
		Rule rule = compiled.rule;
		series.lastValue = observation.value();
		switch (series.phase) {
			case INACTIVE, PENDING -> {
				if (!observation.holds()) {
					// A flap shorter than 'for' ends here, without a notification.
					series.phase = AlertState.INACTIVE;
					return;
				}
				if (series.phase == AlertState.INACTIVE) {
					series.phase = AlertState.PENDING;
					series.since = at;
				}
				if (at - series.since >= rule.forDuration().toMillis()) {
					fire(compiled, series, observation.value(), observation.threshold(), window, Map.of(), out);
					series.lastHeldAt = at;
				}
			}
			case FIRING -> {
				if (observation.staysFiring()) {
					series.lastHeldAt = at;
					series.firingOnNoData = false;
				}
				else if (series.firingOnNoData || at - series.lastHeldAt >= rule.keepFiringFor().toMillis()) {
					// Fired for no data: the first window back decides, as no condition
					// ever held to keep firing for.
					resolve(compiled, series, at, observation.value(), window, out);
				}
			}
		}
	}

	private void noData(CompiledRule compiled, Series series, long at, List<AlertEvent> out) {
		switch (compiled.rule.noData().state()) {
			case OK -> {
				if (series.phase == AlertState.FIRING) {
					resolve(compiled, series, Math.max(at, series.since), series.lastValue, series.lastWindow, out);
				}
				series.phase = AlertState.INACTIVE;
			}
			case ALERTING -> {
				if (series.phase != AlertState.FIRING) {
					series.since = at;
					double threshold = (compiled.rule.threshold() != null) ? compiled.rule.threshold() : Double.NaN;
					// NaN is not JSON: an alert that never saw a value reports 0.
					fire(compiled, series, finite(series.lastValue), finite(threshold), series.lastWindow,
							Map.of("noData", "true"), out);
					series.firingOnNoData = true;
				}
			}
			case KEEP -> {
			}
		}
	}

	private static double finite(double value) {
		return Double.isNaN(value) ? 0 : value;
	}

	private Observation rateOfChange(Rule rule, Series series, double value) {
		double previous = series.previous;
		series.previous = value;
		if (Double.isNaN(previous)) {
			return null;
		}
		if (rule.change() == ChangeMode.PERCENT) {
			if (previous == 0) {
				return null;
			}
			return Observation.compare(rule, (value - previous) / Math.abs(previous) * 100);
		}
		return Observation.compare(rule, value - previous);
	}

	private Observation anomaly(Rule rule, Series series, double value) {
		Observation observation = null;
		if (series.history.size() >= rule.minWindows()) {
			double mean = 0;
			for (double past : series.history) {
				mean += past;
			}
			mean /= series.history.size();
			double squares = 0;
			for (double past : series.history) {
				squares += (past - mean) * (past - mean);
			}
			double band = rule.k() * Math.sqrt(squares / series.history.size());
			boolean above = value > mean + band;
			boolean below = value < mean - band;
			double bound = (value >= mean) ? mean + band : mean - band;
			observation = new Observation(value, bound, above || below, above || below);
		}
		// The current window joins the history whether or not it was anomalous.
		series.history.addLast(value);
		while (series.history.size() > rule.lookback()) {
			series.history.removeFirst();
		}
		return observation;
	}

	private void fire(CompiledRule compiled, Series series, double value, double threshold, AggregateWindow window,
			Map<String, String> extra, List<AlertEvent> out) {
		series.phase = AlertState.FIRING;
		Instant startsAt = Instant.ofEpochMilli(series.since);
		AlertEvent event = event(compiled, series, AlertStatus.FIRING, value, threshold, window, startsAt, null, extra);
		series.firing = event;
		out.add(event);
	}

	private void resolve(CompiledRule compiled, Series series, long at, double value, AggregateWindow window,
			List<AlertEvent> out) {
		AlertEvent firing = series.firing;
		Instant endsAt = Instant.ofEpochMilli(at);
		Map<String, String> annotations = (compiled != null)
				? annotations(compiled, series, AlertStatus.RESOLVED, value, firing.threshold(), window, Map.of())
				: firing.annotations();
		out.add(new AlertEvent(Fingerprints.alertId(firing.fingerprint(), firing.startsAt(), AlertStatus.RESOLVED),
				firing.ruleId(), firing.fingerprint(), AlertStatus.RESOLVED, firing.severity(), firing.sensorId(),
				firing.metric(), value, firing.threshold(), (window != null) ? window : firing.window(),
				firing.startsAt(), endsAt, firing.labels(), annotations));
		series.phase = AlertState.INACTIVE;
		series.firing = null;
		series.firingOnNoData = false;
	}

	private AlertEvent event(CompiledRule compiled, Series series, AlertStatus status, double value, double threshold,
			AggregateWindow window, Instant startsAt, Instant endsAt, Map<String, String> extra) {
		Rule rule = compiled.rule;
		String fingerprint = series.fingerprint();
		Map<String, String> labels = new TreeMap<>(rule.labels());
		labels.put("rule", rule.id());
		labels.put("sensorId", series.sensorId);
		labels.put("metric", series.metric);
		labels.put("severity", rule.severity());
		labels.put("kind", rule.kind().json());
		return new AlertEvent(Fingerprints.alertId(fingerprint, startsAt, status), rule.id(), fingerprint, status,
				rule.severity(), series.sensorId, series.metric, value, threshold, window, startsAt, endsAt, labels,
				annotations(compiled, series, status, value, threshold, window, extra));
	}

	private Map<String, String> annotations(CompiledRule compiled, Series series, AlertStatus status, double value,
			double threshold, AggregateWindow window, Map<String, String> extra) {
		Rule rule = compiled.rule;
		Map<String, String> values = new TreeMap<>();
		values.put("sensorId", series.sensorId);
		values.put("metric", series.metric);
		values.put("value", String.valueOf(value));
		values.put("threshold", String.valueOf(threshold));
		values.put("ruleId", rule.id());
		values.put("ruleName", (rule.name() != null) ? rule.name() : rule.id());
		values.put("severity", rule.severity());
		values.put("status", status.name().toLowerCase(Locale.ROOT));
		values.put("windowStart", (window != null) ? window.start().toString() : "");
		values.put("windowEnd", (window != null) ? window.end().toString() : "");
		Map<String, String> annotations = AnnotationTemplates.render(rule.annotations(), values);
		annotations.putIfAbsent("summary", (status == AlertStatus.FIRING)
				? series.sensorId + ": " + compiled.expression() + " (value " + value + ")"
				: series.sensorId + ": resolved, " + compiled.expression() + " no longer holds (value " + value + ")");
		annotations.putAll(extra);
		return annotations;
	}

}
