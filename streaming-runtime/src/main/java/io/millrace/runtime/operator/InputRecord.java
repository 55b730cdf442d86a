package io.millrace.runtime.operator;

/**
 * A decoded input record and where it came from.
 *
 * @param <T> the contract
 * @param partition the input partition
 * @param offset its offset (Kafka) or sequence number (Event Hubs), or -1 when unknown
 * @param payload the record's bytes, as consumed
 * @param value the decoded contract
 */
public record InputRecord<T>(String partition, long offset, byte[] payload, T value) {
}
