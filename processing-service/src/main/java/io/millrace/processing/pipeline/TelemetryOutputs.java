package io.millrace.processing.pipeline;

import java.nio.charset.StandardCharsets;

import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.model.transport.KeyedMessages;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

/**
 * The three outputs of the pipeline, as output bindings (destinations are configuration):
 * {@code aggregates}, {@code late} and {@code deadletter}.
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

	private final StreamBridge bridge;

	TelemetryOutputs(StreamBridge bridge) {
		this.bridge = bridge;
	}

	void aggregate(WindowAggregate aggregate) {
		send(AGGREGATES, KeyedMessages.keyedJson(aggregate, aggregate.sensorId()));
	}

	void late(byte[] payload, String sensorId, String watermark) {
		Message<byte[]> keyed = KeyedMessages.keyed(payload, sensorId);
		send(LATE,
				MessageBuilder.fromMessage(keyed)
					.setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE)
					.setHeader(LATE_WATERMARK, utf8(watermark))
					.build());
	}

	void deadLetter(byte[] payload, String reason, String detail, RecordOrigin origin) {
		send(DEADLETTER,
				MessageBuilder.withPayload(payload)
					.setHeader(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON_VALUE)
					.setHeader(ERROR_REASON, utf8(reason))
					.setHeader(ERROR_DETAIL, utf8(detail))
					.setHeader(SOURCE_PARTITION, utf8(origin.partition()))
					.setHeader(SOURCE_OFFSET, utf8(origin.offset()))
					.build());
	}

	private void send(String binding, Message<byte[]> message) {
		if (!this.bridge.send(binding, message)) {
			throw new IllegalStateException("Output binding '" + binding + "' did not accept the record");
		}
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
