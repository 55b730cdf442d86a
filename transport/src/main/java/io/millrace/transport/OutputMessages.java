package io.millrace.transport;

import java.nio.charset.StandardCharsets;

import io.millrace.runtime.operator.OutputRecord;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The message an output record is sent as: keyed on every binder, the content type as the
 * binders expect it, other headers as UTF-8 bytes.
 */
public final class OutputMessages {

	private OutputMessages() {
	}

	public static Message<byte[]> toMessage(OutputRecord record) {
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
