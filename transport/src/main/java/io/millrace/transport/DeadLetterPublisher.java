package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.decode.Decoded;
import io.millrace.runtime.operator.OutputRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

/**
 * Sends an output record (a dead letter, from {@link DeadLetters#of}) to the output
 * binding it names, through {@link StreamBridge}, and returns only when the binding took
 * it. A refused or failed send throws, so the consumer that called it fails the record
 * instead of acknowledging a record that is nowhere.
 * <p>
 * The send is as synchronous as the binding: configure the output binding with
 * {@code producer.sync: true} on each binder
 * ({@code spring.cloud.stream.kafka.bindings.<output>.producer.sync},
 * {@code spring.cloud.stream.eventhubs.bindings.<output>.producer.sync}), so that the
 * send waits for the broker's acknowledgement and a broker error is thrown here. Without
 * it the Kafka binder returns once the record is queued and reports a failure only on the
 * binding's error channel.
 */
public final class DeadLetterPublisher {

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterPublisher.class);

	/** Characters of a payload (or of a detail) a log line shows at most. */
	public static final int PREVIEW_CHARS = 200;

	private final Sender sender;

	/**
	 * @param bridge the application's stream bridge
	 */
	public DeadLetterPublisher(StreamBridge bridge) {
		this(bridge::send);
	}

	DeadLetterPublisher(Sender sender) {
		this.sender = sender;
	}

	/**
	 * Send a record to its output binding and wait until the binding accepted it.
	 * @param record the record; its {@link OutputRecord#output() output} is the binding
	 * @throws IllegalStateException when the binding refused or failed to send it
	 */
	public void send(OutputRecord record) {
		Message<byte[]> message = OutputMessages.toMessage(record);
		boolean accepted;
		try {
			accepted = this.sender.send(record.output(), message);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not send " + describe(record) + ": " + ex.getMessage(), ex);
		}
		if (!accepted) {
			throw new IllegalStateException("The " + record.output() + " binding refused " + describe(record));
		}
	}

	/**
	 * Dead-letter a consumed record that could not be decoded, with where it came from,
	 * and log it on one line: what a record-at-a-time consumer does with bad input.
	 * @param record the consumed message
	 * @param decoded the decoder's verdict (invalid)
	 * @param configuredSource the input's destination, for binders that do not say
	 * @param expected what the record should have been, for the log line
	 * @throws IllegalStateException when the dead letter could not be sent
	 */
	public void deadLetter(Message<byte[]> record, Decoded<?> decoded, String configuredSource, String expected) {
		String topic = InboundMessages.source(record);
		String from = (topic != null) ? topic : configuredSource;
		String partition = InboundMessages.partition(record);
		long offset = InboundMessages.offset(record);
		send(DeadLetters.of(record.getPayload(), decoded.reason(), decoded.detail(), from, partition, offset));
		logger.warn("Dead-lettered record {}/{}/{}, not a {} ({}: {}); {} bytes: {}", from, partition, offset, expected,
				decoded.reason(), preview(decoded.detail()), record.getPayload().length, preview(record.getPayload()));
	}

	/** Where the record came from, never its payload (which may be anything). */
	private static String describe(OutputRecord record) {
		String reason = record.headers().get(DeadLetters.ERROR_REASON);
		if (reason == null) {
			return "a record to " + record.output();
		}
		return "a dead letter (" + reason + ") from " + record.headers().get(DeadLetters.SOURCE_TOPIC) + " partition "
				+ record.headers().get(DeadLetters.SOURCE_PARTITION) + " offset "
				+ record.headers().get(DeadLetters.SOURCE_OFFSET) + " to " + record.output();
	}

	/**
	 * The start of a dead letter's payload, for the log line that reports it: at most
	 * {@value #PREVIEW_CHARS} characters of its UTF-8 text, control characters escaped so
	 * that a record cannot forge log lines. The whole record is on the dead-letter topic.
	 * @param payload the record's bytes
	 * @return the preview, ending in {@code ...} when something was left out
	 */
	public static String preview(byte[] payload) {
		// At most four bytes per character: a large record is not decoded whole.
		int length = Math.min(payload.length, 4 * PREVIEW_CHARS);
		return preview(new String(Arrays.copyOf(payload, length), StandardCharsets.UTF_8), length < payload.length);
	}

	/**
	 * A text (an error detail, which may quote the payload) cut and escaped as
	 * {@link #preview(byte[])} does.
	 * @param text the text, or {@code null}
	 * @return the preview
	 */
	public static String preview(String text) {
		return (text != null) ? preview(text, false) : "";
	}

	private static String preview(String text, boolean more) {
		StringBuilder shown = new StringBuilder(Math.min(text.length(), PREVIEW_CHARS) + 3);
		int end = Math.min(text.length(), PREVIEW_CHARS);
		if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
					|| Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
				shown.append(String.format("\\u%04x", (int) c));
			}
			else {
				shown.append(c);
			}
		}
		if (end < text.length() || more) {
			shown.append("...");
		}
		return shown.toString();
	}

	/** How a message reaches a binding: {@link StreamBridge#send(String, Object)}. */
	@FunctionalInterface
	interface Sender {

		boolean send(String binding, Message<?> message);

	}

}
