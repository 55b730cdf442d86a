package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;

/** Rules and inputs for the lifecycle tests. */
final class Inputs {

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

	static final String P = "telemetry-aggregates-0";

	private Inputs() {
	}

	/**
	 * A rule from JSON written with single quotes, the way the API receives it.
	 */
	static Rule rule(String json) {
		try {
			return MillraceJson.mapper().readValue(json.replace('\'', '"'), Rule.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	/** Minute {@code i}'s final 1-minute tumbling window with every statistic = value. */
	static WindowAggregate window(String sensorId, String metric, int i, double value) {
		AggregateWindow window = AggregateWindow.tumbling(T0.plus(Duration.ofMinutes(i)), Duration.ofMinutes(1));
		return new WindowAggregate(sensorId, metric, window, 1, value, value, value, value, 0.0, value, value, value,
				value, value, true, 0, WindowAggregate.ON_TIME, window.end().plusSeconds(5));
	}

	static TelemetryEvent reading(String sensorId, Instant at, double value, Map<String, String> tags) {
		return new TelemetryEvent("e-" + at.toEpochMilli(), sensorId, at, value, null, tags, 1, at.plusMillis(200));
	}

	static Instant minute(int i) {
		return T0.plus(Duration.ofMinutes(i));
	}

	/** Feed minute windows of one sensor; the transitions, in order. */
	static List<AlertEvent> feed(AlertLifecycle engine, String sensorId, String metric, double... values) {
		List<AlertEvent> out = new ArrayList<>();
		for (int i = 0; i < values.length; i++) {
			out.addAll(engine.onAggregate(P, window(sensorId, metric, i, values[i])));
		}
		return out;
	}

	/**
	 * A transition as "status@window-end-minute", for sequences that read at a glance.
	 */
	static String brief(AlertEvent event) {
		Instant at = (event.endsAt() != null) ? event.endsAt() : event.window().end();
		return event.status().toString().toLowerCase() + "@" + Duration.between(T0, at).toMinutes();
	}

	static List<String> briefs(List<AlertEvent> events) {
		return events.stream().map(Inputs::brief).toList();
	}

}
