package io.millrace.runtime.decode;

/**
 * The outcome of decoding one record: a value, or a reason code and an explanation.
 *
 * @param <T> the contract type
 * @param value the value, when the record is valid
 * @param reason short reason code ({@link DeadLetters#UNDECODABLE},
 * {@link DeadLetters#SCHEMA_INVALID}), when rejected
 * @param detail human-readable explanation, when rejected
 */
public record Decoded<T>(T value, String reason, String detail) {

	public static <T> Decoded<T> valid(T value) {
		return new Decoded<>(value, null, null);
	}

	public static <T> Decoded<T> rejected(String reason, String detail) {
		return new Decoded<>(null, reason, detail);
	}

	public boolean isValid() {
		return this.value != null;
	}

}
