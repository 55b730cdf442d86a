package io.millrace.processing.pipeline;

import java.util.HashMap;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.OutputRecord;

/**
 * The outputs of the pipeline besides dead letters, as output bindings (destinations are
 * configuration): {@code aggregates} and {@code late}.
 */
final class TelemetryOutputs {

	static final String AGGREGATES = "aggregates";

	static final String LATE = "late";

	/** The reason events stamped too far ahead are dead-lettered with. */
	static final String CLOCK_SKEW = "clock-skew";

	/** The watermark a late event missed, on its record in {@code late}. */
	static final String LATE_WATERMARK = "x-millrace-watermark";

	/** Shared by every aggregate record: sorted once, not copied per record. */
	private static final Map<String, String> JSON = OutputRecord
		.sortedHeaders(Map.of(DeadLetters.CONTENT_TYPE, "application/json"));

	private TelemetryOutputs() {
	}

	static OutputRecord aggregate(WindowAggregate aggregate, boolean withSketch) {
		return new OutputRecord(AGGREGATES, aggregate.sensorId(), JSON,
				AggregateJsonWriter.bytes(aggregate, withSketch));
	}

	static OutputRecord late(byte[] payload, String sensorId, String watermark) {
		Map<String, String> headers = new HashMap<>(JSON);
		headers.put(LATE_WATERMARK, watermark);
		return new OutputRecord(LATE, sensorId, headers, payload);
	}

}
