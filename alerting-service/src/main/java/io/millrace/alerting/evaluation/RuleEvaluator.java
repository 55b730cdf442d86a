package io.millrace.alerting.evaluation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.millrace.alerting.rules.AlertRule;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.json.MillraceJson;

/**
 * The lifecycle of one rule's alerts. Per fingerprint (rule + sensor + metric) an alert
 * starts {@code firing} on the first closed window that breaches the rule and is
 * {@code resolved} by the first later window that does not; windows in between produce
 * nothing. Early (non-final) results and windows older than the last one evaluated are
 * ignored, so replays and early emissions do not flap alerts.
 * <p>
 * State is kept per input partition (every topic is keyed by sensorId, so a fingerprint
 * lives in one partition), so that the streaming runtime can snapshot, restore and
 * release it with the partition. Alert ids are derived from the fingerprint, the status
 * and the window end, so a replay from a checkpoint emits identical alerts.
 */
public final class RuleEvaluator {

	private final AlertRule rule;

	/** The partition of callers that do not name one. */
	static final String DEFAULT_PARTITION = "";

	private static final int SNAPSHOT_VERSION = 1;

	/** Per input partition, per fingerprint. */
	private final Map<String, Map<String, SeriesState>> partitions = new TreeMap<>();

	public RuleEvaluator(AlertRule rule) {
		this.rule = rule;
	}

	/**
	 * @return the severity every alert of the rule carries
	 */
	public String severity() {
		return this.rule.severity();
	}

	/**
	 * Evaluate the rule on one aggregate.
	 * @param aggregate a window aggregate of any metric
	 * @return the alert state change it causes, if any
	 */
	public Optional<AlertEvent> evaluate(WindowAggregate aggregate) {
		return evaluate(DEFAULT_PARTITION, aggregate);
	}

	/**
	 * Evaluate the rule on one aggregate of an input partition.
	 * @param partition the input partition the aggregate came from
	 * @param aggregate a window aggregate of any metric
	 * @return the alert state change it causes, if any
	 */
	public synchronized Optional<AlertEvent> evaluate(String partition, WindowAggregate aggregate) {
		if (!aggregate.isFinal() || !this.rule.metric().equals(aggregate.metric())) {
			return Optional.empty();
		}
		String fingerprint = fingerprint(aggregate.sensorId(), aggregate.metric());
		SeriesState state = this.partitions.computeIfAbsent(partition, (key) -> new TreeMap<>())
			.computeIfAbsent(fingerprint, (key) -> new SeriesState());
		if (state.lastWindowEnd != null && !aggregate.window().end().isAfter(state.lastWindowEnd)) {
			return Optional.empty();
		}
		state.lastWindowEnd = aggregate.window().end();
		double value = this.rule.statistic().of(aggregate);
		boolean breached = this.rule.operator().holds(value, this.rule.threshold());
		if (breached && state.firing == null) {
			state.firing = alert(fingerprint, AlertStatus.FIRING, aggregate, value, aggregate.window().end(), null);
			return Optional.of(state.firing);
		}
		if (!breached && state.firing != null) {
			AlertEvent resolved = alert(fingerprint, AlertStatus.RESOLVED, aggregate, value, state.firing.startsAt(),
					aggregate.window().end());
			state.firing = null;
			return Optional.of(resolved);
		}
		return Optional.empty();
	}

	/**
	 * The alerts firing now.
	 * @return one alert per firing fingerprint
	 */
	public synchronized List<AlertEvent> firing() {
		List<AlertEvent> firing = new ArrayList<>();
		this.partitions.values().forEach((series) -> series.values().forEach((state) -> {
			if (state.firing != null) {
				firing.add(state.firing);
			}
		}));
		return firing;
	}

	/**
	 * The state of one input partition.
	 * @param partition the input partition
	 * @return bytes for {@link #restore}
	 */
	public synchronized byte[] snapshot(String partition) {
		Map<String, SeriesState> series = this.partitions.getOrDefault(partition, Map.of());
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(SNAPSHOT_VERSION);
			out.writeInt(series.size());
			for (Map.Entry<String, SeriesState> entry : new TreeMap<>(series).entrySet()) {
				SeriesState state = entry.getValue();
				out.writeUTF(entry.getKey());
				out.writeBoolean(state.lastWindowEnd != null);
				if (state.lastWindowEnd != null) {
					out.writeLong(state.lastWindowEnd.getEpochSecond());
					out.writeInt(state.lastWindowEnd.getNano());
				}
				out.writeBoolean(state.firing != null);
				if (state.firing != null) {
					byte[] json = MillraceJson.bytes(state.firing);
					out.writeInt(json.length);
					out.write(json);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Take over an input partition's state, replacing what was kept for it.
	 * @param partition the input partition
	 * @param snapshot bytes from {@link #snapshot}
	 */
	public synchronized void restore(String partition, byte[] snapshot) {
		Map<String, SeriesState> series = new TreeMap<>();
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
			int version = in.readInt();
			if (version != SNAPSHOT_VERSION) {
				throw new IllegalStateException("Unknown rule evaluator snapshot version " + version);
			}
			int count = in.readInt();
			for (int i = 0; i < count; i++) {
				String fingerprint = in.readUTF();
				SeriesState state = new SeriesState();
				if (in.readBoolean()) {
					state.lastWindowEnd = Instant.ofEpochSecond(in.readLong(), in.readInt());
				}
				if (in.readBoolean()) {
					byte[] json = new byte[in.readInt()];
					in.readFully(json);
					state.firing = MillraceJson.mapper().readValue(json, AlertEvent.class);
				}
				series.put(fingerprint, state);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.partitions.put(partition, series);
	}

	/**
	 * Forget an input partition.
	 * @param partition the input partition
	 */
	public synchronized void release(String partition) {
		this.partitions.remove(partition);
	}

	private AlertEvent alert(String fingerprint, AlertStatus status, WindowAggregate aggregate, double value,
			Instant startsAt, Instant endsAt) {
		Map<String, String> labels = Map.of("rule", this.rule.id(), "sensorId", aggregate.sensorId(), "metric",
				aggregate.metric(), "statistic", this.rule.statistic().name().toLowerCase());
		String summary = (status == AlertStatus.FIRING)
				? String.format("%s breached %s: %s was %s in window %s..%s", aggregate.sensorId(),
						this.rule.expression(), this.rule.statistic().name().toLowerCase(), value,
						aggregate.window().start(), aggregate.window().end())
				: String.format("%s no longer breaches %s: %s was %s in window %s..%s", aggregate.sensorId(),
						this.rule.expression(), this.rule.statistic().name().toLowerCase(), value,
						aggregate.window().start(), aggregate.window().end());
		return new AlertEvent(alertId(fingerprint, status, aggregate.window().end()), this.rule.id(), fingerprint,
				status, this.rule.severity(), aggregate.sensorId(), aggregate.metric(), value, this.rule.threshold(),
				aggregate.window(), startsAt, endsAt, labels, Map.of("summary", summary));
	}

	/**
	 * The same for the same decision, so that a replay emits an identical alert.
	 */
	static String alertId(String fingerprint, AlertStatus status, Instant windowEnd) {
		return UUID
			.nameUUIDFromBytes(
					(fingerprint + "\u0000" + status.name() + "\u0000" + windowEnd).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

	String fingerprint(String sensorId, String metric) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((this.rule.id() + "\u0000" + sensorId + "\u0000" + metric).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

	private static final class SeriesState {

		private Instant lastWindowEnd;

		private AlertEvent firing;

	}

}
