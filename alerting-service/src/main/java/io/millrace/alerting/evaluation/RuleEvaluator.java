package io.millrace.alerting.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.millrace.alerting.rules.AlertRule;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;

/**
 * The lifecycle of one rule's alerts. Per fingerprint (rule + sensor + metric) an alert
 * starts {@code firing} on the first closed window that breaches the rule and is
 * {@code resolved} by the first later window that does not; windows in between produce
 * nothing. Early (non-final) results and windows older than the last one evaluated are
 * ignored, so replays and early emissions do not flap alerts.
 */
public final class RuleEvaluator {

	private final AlertRule rule;

	private final Map<String, SeriesState> series = new ConcurrentHashMap<>();

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
	public synchronized Optional<AlertEvent> evaluate(WindowAggregate aggregate) {
		if (!aggregate.isFinal() || !this.rule.metric().equals(aggregate.metric())) {
			return Optional.empty();
		}
		String fingerprint = fingerprint(aggregate.sensorId(), aggregate.metric());
		SeriesState state = this.series.computeIfAbsent(fingerprint, (key) -> new SeriesState());
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
		this.series.values().forEach((state) -> {
			if (state.firing != null) {
				firing.add(state.firing);
			}
		});
		return firing;
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
		return new AlertEvent(UUID.randomUUID().toString(), this.rule.id(), fingerprint, status, this.rule.severity(),
				aggregate.sensorId(), aggregate.metric(), value, this.rule.threshold(), aggregate.window(), startsAt,
				endsAt, labels, Map.of("summary", summary));
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
