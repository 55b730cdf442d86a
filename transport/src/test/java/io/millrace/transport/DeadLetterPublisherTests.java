package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.OutputRecord;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class DeadLetterPublisherTests {

	private static final byte[] PAYLOAD = "secret-looking payload".getBytes(StandardCharsets.UTF_8);

	private final OutputRecord deadLetter = DeadLetters.of(PAYLOAD, DeadLetters.UNDECODABLE, "not JSON",
			"telemetry-aggregates", "3", 17);

	@Test
	void sendsTheRecordToTheBindingItNamesWithItsBytesAndHeaders() {
		List<String> bindings = new ArrayList<>();
		List<Message<?>> messages = new ArrayList<>();
		new DeadLetterPublisher((binding, message) -> {
			bindings.add(binding);
			messages.add(message);
			return true;
		}).send(this.deadLetter);
		assertThat(bindings).containsExactly(DeadLetters.OUTPUT);
		Message<?> message = messages.get(0);
		assertThat(message.getPayload()).isEqualTo(PAYLOAD);
		assertThat(message.getHeaders().get(DeadLetters.ERROR_REASON))
			.isEqualTo(DeadLetters.UNDECODABLE.getBytes(StandardCharsets.UTF_8));
		assertThat(message.getHeaders().get(DeadLetters.SOURCE_PARTITION))
			.isEqualTo("3".getBytes(StandardCharsets.UTF_8));
		assertThat(message.getHeaders().get(DeadLetters.SOURCE_OFFSET))
			.isEqualTo("17".getBytes(StandardCharsets.UTF_8));
		assertThat(message.getHeaders().get(DeadLetters.CONTENT_TYPE)).isEqualTo("application/octet-stream");
	}

	@Test
	void aRefusedSendThrowsNamingTheSourceButNotThePayload() {
		DeadLetterPublisher publisher = new DeadLetterPublisher((binding, message) -> false);
		assertThatIllegalStateException().isThrownBy(() -> publisher.send(this.deadLetter))
			.withMessageContaining("refused")
			.withMessageContaining("telemetry-aggregates partition 3 offset 17")
			.withMessageNotContaining("secret-looking");
	}

	@Test
	void aFailedSendThrowsWithItsCause() {
		MessageDeliveryException failure = new MessageDeliveryException("broker said no");
		DeadLetterPublisher publisher = new DeadLetterPublisher((binding, message) -> {
			throw failure;
		});
		assertThatIllegalStateException().isThrownBy(() -> publisher.send(this.deadLetter))
			.withMessageContaining("broker said no")
			.withCause(failure);
	}

	@Test
	void aPreviewShowsAtMost200CharactersWithControlCharactersEscaped() {
		assertThat(DeadLetterPublisher.preview("short".getBytes(StandardCharsets.UTF_8))).isEqualTo("short");
		assertThat(DeadLetterPublisher.preview("a\nforged line\r\u2028x".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("a\\u000aforged line\\u000d\\u2028x");
		String preview = DeadLetterPublisher.preview("x".repeat(1_000_000).getBytes(StandardCharsets.UTF_8));
		assertThat(preview).isEqualTo("x".repeat(200) + "...");
		// Multi-byte characters: cut on characters, not bytes.
		assertThat(DeadLetterPublisher.preview("é".repeat(300).getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("é".repeat(200) + "...");
		assertThat(DeadLetterPublisher.preview((String) null)).isEmpty();
	}

}
