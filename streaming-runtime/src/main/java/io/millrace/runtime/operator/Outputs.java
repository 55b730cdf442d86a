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

}
