package io.millrace.transport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DirectKafkaSenderTests {

	@Test
	void recordCarriesKeyPayloadAndHeadersButNotTheContentType() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("contentType", "application/json");
		headers.put("millrace_reason", "late");
		byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);

		ProducerRecord<byte[], byte[]> record = DirectKafkaSender.record("telemetry-late", "pump-1", payload, headers);

		assertThat(record.topic()).isEqualTo("telemetry-late");
		assertThat(record.partition()).isNull();
		assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("pump-1");
		assertThat(record.value()).isSameAs(payload);
		assertThat(record.headers().toArray()).hasSize(1);
		assertThat(new String(record.headers().lastHeader("millrace_reason").value(), StandardCharsets.UTF_8))
			.isEqualTo("late");
	}

	@Test
	void recordWithoutKeyLeavesPartitioningToTheProducer() {
		ProducerRecord<byte[], byte[]> record = DirectKafkaSender.record("t", null, new byte[0], Map.of());

		assertThat(record.key()).isNull();
		assertThat(record.headers().toArray()).isEmpty();
	}

}
