package io.millrace.lakehouse.sink;

/**
 * A decoded record and where it came from.
 *
 * @param <T> the contract
 * @param partition the input partition
 * @param offset its offset (Kafka) or sequence number (Event Hubs)
 * @param payload the record's bytes as consumed
 * @param value the decoded value
 */
public record SourceRecord<T>(String partition, long offset, byte[] payload, T value) {
}
