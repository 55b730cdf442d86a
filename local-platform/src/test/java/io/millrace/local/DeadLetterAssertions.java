package io.millrace.local;

import java.util.Arrays;
import java.util.List;

import io.millrace.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dead letter of a record of {@code telemetry-aggregates} must look like. */
public final class DeadLetterAssertions {

	private DeadLetterAssertions() {
	}

	public static boolean hasAll(List<ConsumerRecord<byte[], byte[]>> records, byte[]... payloads) {
		return Arrays.stream(payloads).allMatch((payload) -> find(records, payload) != null);
	}

	/**
	 * @param deadLetters what was read from {@code telemetry-deadletter}
	 * @param sent what was read from {@code telemetry-aggregates}
	 * @param payload the poison record
	 * @param reason the reason it must carry
	 * @return its dead letter
	 */
	public static ConsumerRecord<byte[], byte[]> assertDeadLettered(List<ConsumerRecord<byte[], byte[]>> deadLetters,
			List<ConsumerRecord<byte[], byte[]>> sent, byte[] payload, String reason) {
		ConsumerRecord<byte[], byte[]> original = find(sent, payload);
		assertThat(original).as("the poison record on " + Topics.TELEMETRY_AGGREGATES).isNotNull();
		List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.stream()
			.filter((record) -> Arrays.equals(record.value(), payload))
			.toList();
		assertThat(letters).as("dead letters of the record at offset " + original.offset()).hasSize(1);
		ConsumerRecord<byte[], byte[]> letter = letters.get(0);
		assertThat(TopicClient.header(letter, "x-millrace-error-reason")).isEqualTo(reason);
		assertThat(TopicClient.header(letter, "x-millrace-error-detail")).isNotBlank();
		assertThat(TopicClient.header(letter, "x-millrace-source-topic")).isEqualTo(Topics.TELEMETRY_AGGREGATES);
		assertThat(TopicClient.header(letter, "x-millrace-source-partition"))
			.isEqualTo(String.valueOf(original.partition()));
		assertThat(TopicClient.header(letter, "x-millrace-source-offset")).isEqualTo(String.valueOf(original.offset()));
		return letter;
	}

	/**
	 * The record is logged on one WARN line that names where it came from, and the log
	 * never shows {@code tail}, which lies beyond the characters a log line may show.
	 */
	public static void assertLoggedOnceWithoutTheWholePayload(String log, List<ConsumerRecord<byte[], byte[]>> sent,
			byte[] payload, String tail) {
		ConsumerRecord<byte[], byte[]> original = find(sent, payload);
		String where = "Dead-lettered record " + Topics.TELEMETRY_AGGREGATES + "/" + original.partition() + "/"
				+ original.offset() + ",";
		List<String> lines = log.lines().filter((line) -> line.contains(where)).toList();
		assertThat(lines).as(where).hasSize(1);
		assertThat(lines.get(0)).contains(" WARN ");
		if (tail != null) {
			assertThat(log).doesNotContain(tail);
		}
	}

	private static ConsumerRecord<byte[], byte[]> find(List<ConsumerRecord<byte[], byte[]>> records, byte[] payload) {
		return records.stream().filter((record) -> Arrays.equals(record.value(), payload)).findFirst().orElse(null);
	}

}
