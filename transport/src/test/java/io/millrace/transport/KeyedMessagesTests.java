package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.millrace.model.telemetry.TelemetryEvent;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedMessagesTests {

	@Test
	void aContractBecomesJsonKeyedForEveryBinder() {
		TelemetryEvent event = new TelemetryEvent("e1", "pump-1", Instant.parse("2026-11-25T10:00:00Z"), 42.0, null,
				null, 1, null);
		Message<byte[]> message = KeyedMessages.keyedJson(event, "pump-1");
		assertThat(new String(message.getPayload(), StandardCharsets.UTF_8)).contains("\"sensorId\":\"pump-1\"",
				"\"timestamp\":\"2026-11-25T10:00:00Z\"");
		assertThat(message.getHeaders().get(MessageHeaders.CONTENT_TYPE)).isEqualTo("application/json");
		assertThat(message.getHeaders().get(KeyedMessages.KAFKA_MESSAGE_KEY))
			.isEqualTo("pump-1".getBytes(StandardCharsets.UTF_8));
		assertThat(message.getHeaders().get(KeyedMessages.EVENT_HUBS_PARTITION_KEY)).isEqualTo("pump-1");
	}

}
