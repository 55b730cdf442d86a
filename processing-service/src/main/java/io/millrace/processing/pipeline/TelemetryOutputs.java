package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.transport.KeyedMessages;
import io.millrace.processing.checkpoint.PendingRecord;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * The three outputs of the pipeline, as output bindings (destinations are configuration):
 * {@code aggregates}, {@code late} and {@code deadletter}. Records are built as
 * {@link PendingRecord}s first, so they can be checkpointed before they are sent.
 */
final class TelemetryOutputs {

	static final String AGGREGATES = "aggregates";

	static final String LATE = "late";

	static final String DEADLETTER = "deadletter";

	/** Header names on dead-lettered and late records; values are UTF-8 bytes. */
	static final String ERROR_REASON = "x-millrace-error-reason";

	static final String ERROR_DETAIL = "x-millrace-error-detail";

	static final String SOURCE_PARTITION = "x-millrace-source-partition";

	static final String SOURCE_OFFSET = "x-millrace-source-offset";

	static final String LATE_WATERMARK = "x-millrace-watermark";

	private static final Map<String, String> JSON = Map.of(MessageHeaders.CONTENT_TYPE,
			MimeTypeUtils.APPLICATION_JSON_VALUE);

	private TelemetryOutputs() {
	}

	static PendingRecord aggregate(WindowAggregate aggregate) {
		return new PendingRecord(AGGREGATES, aggregate.sensorId(), JSON, KeyedMessages.json(aggregate));
	}

	static PendingRecord late(byte[] payload, String sensorId, String watermark) {
		Map<String, String> headers = new HashMap<>(JSON);
		headers.put(LATE_WATERMARK, watermark);
		return new PendingRecord(LATE, sensorId, headers, payload);
	}

	static PendingRecord deadLetter(byte[] payload, String reason, String detail, String partition, long offset) {
		// Not JSON when it could not be read: the content type says what it is.
		Map<String, String> headers = new HashMap<>();
		headers.put(MessageHeaders.CONTENT_TYPE, reason.equals("undecodable")
				? MimeTypeUtils.APPLICATION_OCTET_STREAM_VALUE : MimeTypeUtils.APPLICATION_JSON_VALUE);
		headers.put(ERROR_REASON, reason);
		headers.put(ERROR_DETAIL, detail);
		headers.put(SOURCE_PARTITION, partition);
		headers.put(SOURCE_OFFSET, String.valueOf(offset));
		return new PendingRecord(DEADLETTER, null, headers, payload);
	}

	/**
	 * The message a pending record is sent as: keyed on every binder, the content type as
	 * the binder expects it, other headers as UTF-8 bytes.
	 */
	static Message<byte[]> toMessage(PendingRecord record) {
		MessageBuilder<byte[]> builder = (record.key() != null)
				? MessageBuilder.fromMessage(KeyedMessages.keyed(record.payload(), record.key()))
				: MessageBuilder.withPayload(record.payload());
		record.headers().forEach((name, value) -> {
			if (name.equals(MessageHeaders.CONTENT_TYPE)) {
				builder.setHeader(name, value);
			}
			else {
				builder.setHeader(name, value.getBytes(StandardCharsets.UTF_8));
			}
		});
		return builder.build();
	}

}
