package io.millrace.processing.pipeline;

import java.time.Instant;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The {@code millrace_processing_*} metrics. */
final class ProcessingMetrics {

	private final MeterRegistry registry;

	private final Counter eventsProcessed;

	private final Counter lateEvents;

	private final Counter aggregatesEmitted;

	ProcessingMetrics(MeterRegistry registry, Supplier<Instant> watermark, Supplier<Long> openSeries) {
		this.registry = registry;
		this.eventsProcessed = Counter.builder("millrace.processing.events")
			.description("Valid events added to windows")
			.register(registry);
		this.lateEvents = Counter.builder("millrace.processing.late.events")
			.description("Events that arrived after their window closed; sent to telemetry-late")
			.register(registry);
		this.aggregatesEmitted = Counter.builder("millrace.processing.aggregates.emitted")
			.description("Window aggregates published to telemetry-aggregates")
			.register(registry);
		deadLettered("undecodable");
		deadLettered("schema-invalid");
		Gauge.builder("millrace.processing.watermark", () -> seconds(watermark.get()))
			.description("Current event-time watermark")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("millrace.processing.watermark.lag", () -> lagSeconds(watermark.get()))
			.description("Processing time minus the watermark")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("millrace.processing.open.windows", openSeries::get)
			.description("Open (sensor, metric, window) aggregates held in memory")
			.register(registry);
	}

	void processed() {
		this.eventsProcessed.increment();
	}

	void late() {
		this.lateEvents.increment();
	}

	void emitted(int aggregates) {
		this.aggregatesEmitted.increment(aggregates);
	}

	Counter deadLettered(String reason) {
		return Counter.builder("millrace.processing.deadletter")
			.description("Records sent to telemetry-deadletter, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

	private static double seconds(Instant instant) {
		return instant.equals(Instant.MIN) ? Double.NaN : instant.toEpochMilli() / 1000.0;
	}

	private static double lagSeconds(Instant watermark) {
		return watermark.equals(Instant.MIN) ? Double.NaN
				: (System.currentTimeMillis() - watermark.toEpochMilli()) / 1000.0;
	}

}
