package io.millrace.runtime.decode;

/**
 * Reads one record's payload as a contract, or says precisely why it cannot. Never throws
 * for bad input: a bad record is data to dead-letter, not an error.
 *
 * @param <T> the contract type
 */
@FunctionalInterface
public interface Decoder<T> {

	Decoded<T> decode(byte[] payload);

}
