package io.millrace.runtime.operator;

/** Where an operator's results for one input partition go. */
public interface Outputs {

	/**
	 * @param record a result, held with its input partition until the checkpoint that
	 * covers it
	 */
	void emit(OutputRecord record);

	/**
	 * Dead-letter the record being processed (a record the operator refuses, for example
	 * one stamped too far in the future), with the reason, like the runtime does with
	 * records it cannot decode.
	 * @param reason short reason code
	 * @param detail explanation
	 */
	void deadLetter(String reason, String detail);

	/**
	 * Say that the partition's state changed without a result to emit (from a timer, for
	 * example: a retry rescheduled), so that the next checkpoint includes it.
	 */
	default void stateChanged() {
	}

}
