package io.millrace.processing.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.aggregate.WindowSketch;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.json.Rfc3339;

/**
 * Writes a {@link WindowAggregate} as JSON with a streaming generator: the very bytes
 * {@link MillraceJson#bytes} writes (same field order, nulls left out, instants through
 * {@link Rfc3339}, durations as ISO-8601), without the data-binding layer, which was a
 * tenth of the consumer thread (docs/benchmarks.md). A test holds the two byte-identical.
 */
final class AggregateJsonWriter {

	private static final JsonFactory JSON = MillraceJson.mapper().getFactory();

	private AggregateJsonWriter() {
	}

	/** One buffer per thread, reset after each aggregate: not 640 bytes per result. */
	private static final ThreadLocal<ByteArrayBuilder> BUFFERS = ThreadLocal
		.withInitial(() -> new ByteArrayBuilder(1024));

	static byte[] bytes(WindowAggregate aggregate) {
		return bytes(aggregate, true);
	}

	/**
	 * @param aggregate the aggregate
	 * @param withSketch whether to write its sketch, when it has one
	 * ({@code millrace.processing.emit-sketches})
	 * @return its JSON
	 */
	static byte[] bytes(WindowAggregate aggregate, boolean withSketch) {
		ByteArrayBuilder buffer = BUFFERS.get();
		buffer.reset();
		try (JsonGenerator out = JSON.createGenerator(buffer)) {
			out.writeStartObject();
			string(out, "sensorId", aggregate.sensorId());
			string(out, "metric", aggregate.metric());
			AggregateWindow window = aggregate.window();
			if (window != null) {
				out.writeObjectFieldStart("window");
				string(out, "kind", window.kind());
				instant(out, "start", window.start());
				instant(out, "end", window.end());
				duration(out, "size", window.size());
				duration(out, "advance", window.advance());
				duration(out, "gap", window.gap());
				out.writeEndObject();
			}
			out.writeNumberField("count", aggregate.count());
			out.writeNumberField("sum", aggregate.sum());
			out.writeNumberField("min", aggregate.min());
			out.writeNumberField("max", aggregate.max());
			out.writeNumberField("avg", aggregate.avg());
			number(out, "stddev", aggregate.stddev());
			number(out, "p50", aggregate.p50());
			number(out, "p95", aggregate.p95());
			number(out, "p99", aggregate.p99());
			number(out, "firstValue", aggregate.firstValue());
			number(out, "lastValue", aggregate.lastValue());
			out.writeBooleanField("final", aggregate.isFinal());
			out.writeNumberField("revision", aggregate.revision());
			string(out, "timing", aggregate.timing());
			instant(out, "emittedAt", aggregate.emittedAt());
			if (withSketch && aggregate.sketch() != null) {
				sketch(out, aggregate.sketch());
			}
			out.writeEndObject();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return buffer.toByteArray();
	}

	private static void sketch(JsonGenerator out, WindowSketch sketch) throws IOException {
		out.writeObjectFieldStart("sketch");
		out.writeNumberField("relativeAccuracy", sketch.relativeAccuracy());
		out.writeNumberField("zeroCount", sketch.zeroCount());
		bins(out, "positive", sketch.positive());
		bins(out, "negative", sketch.negative());
		out.writeEndObject();
	}

	private static void bins(JsonGenerator out, String name, WindowSketch.Bins bins) throws IOException {
		if (bins != null) {
			out.writeObjectFieldStart(name);
			out.writeNumberField("offset", bins.offset());
			out.writeArrayFieldStart("counts");
			for (long count : bins.counts()) {
				out.writeNumber(count);
			}
			out.writeEndArray();
			out.writeEndObject();
		}
	}

	private static void string(JsonGenerator out, String name, String value) throws IOException {
		if (value != null) {
			out.writeStringField(name, value);
		}
	}

	private static void number(JsonGenerator out, String name, Double value) throws IOException {
		if (value != null) {
			out.writeNumberField(name, value);
		}
	}

	private static void instant(JsonGenerator out, String name, Instant value) throws IOException {
		if (value != null) {
			out.writeStringField(name, Rfc3339.format(value));
		}
	}

	private static void duration(JsonGenerator out, String name, Duration value) throws IOException {
		if (value != null) {
			out.writeStringField(name, value.toString());
		}
	}

}
