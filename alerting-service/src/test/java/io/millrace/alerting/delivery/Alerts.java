package io.millrace.alerting.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;

/** Alerts for delivery tests. */
public final class Alerts {

	private Alerts() {
	}

	public static AlertEvent firing() {
		Instant start = Instant.parse("2026-02-05T10:00:00Z");
		return new AlertEvent("alert-1", "hot-boiler", "3f2a9c1d0b7e4a55", AlertStatus.FIRING, "critical", "s1",
				"temperature", 91.5, 80, AggregateWindow.tumbling(start, Duration.ofMinutes(1)), start.plusSeconds(60),
				null, Map.of("rule", "hot-boiler", "sensorId", "s1", "metric", "temperature", "statistic", "avg"),
				Map.of("summary", "s1 temperature avg 91.5 > 80"));
	}

	public static AlertEvent resolved() {
		AlertEvent firing = firing();
		return new AlertEvent("alert-2", firing.ruleId(), firing.fingerprint(), AlertStatus.RESOLVED, firing.severity(),
				firing.sensorId(), firing.metric(), 71, 80, firing.window(), firing.startsAt(),
				Instant.parse("2026-02-05T10:07:00Z"), firing.labels(), firing.annotations());
	}

}
