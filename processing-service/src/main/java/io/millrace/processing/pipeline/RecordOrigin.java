package io.millrace.processing.pipeline;

import org.springframework.messaging.MessageHeaders;

/**
 * Where a consumed record came from, read from whichever binder delivered it. This is the
 * one place that knows the binders' header names.
 *
 * @param partition source partition, or {@code "unknown"}
 * @param offset source offset (Kafka) or sequence number (Event Hubs), or
 * {@code "unknown"}
 */
record RecordOrigin(String partition, String offset) {

	static RecordOrigin of(MessageHeaders headers) {
		return new RecordOrigin(first(headers, "kafka_receivedPartitionId", "azure_partition_id"),
				first(headers, "kafka_offset", "azure_eventhubs_sequence_number"));
	}

	private static String first(MessageHeaders headers, String... names) {
		for (String name : names) {
			Object value = headers.get(name);
			if (value != null) {
				return String.valueOf(value);
			}
		}
		return "unknown";
	}

}
