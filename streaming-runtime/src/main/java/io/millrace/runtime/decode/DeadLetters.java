package io.millrace.runtime.decode;

import java.util.HashMap;
import java.util.Map;

import io.millrace.runtime.operator.OutputRecord;

/**
 * Dead letters, the same from every service: the record's own bytes, unkeyed, on the
 * {@value #OUTPUT} output, with the reason, an explanation and where it came from in
 * headers.
 */
public final class DeadLetters {

	/** The output (binding) dead letters go to. */
	public static final String OUTPUT = "deadletter";

	/** Not JSON, or empty. */
	public static final String UNDECODABLE = "undecodable";

	/** JSON that breaks the contract. */
	public static final String SCHEMA_INVALID = "schema-invalid";

	/** The operator threw on the record; the detail is the exception. */
	public static final String OPERATOR_FAILED = "operator-failed";

	public static final String ERROR_REASON = "x-millrace-error-reason";

	public static final String ERROR_DETAIL = "x-millrace-error-detail";

	public static final String SOURCE_TOPIC = "x-millrace-source-topic";

	public static final String SOURCE_PARTITION = "x-millrace-source-partition";

	public static final String SOURCE_OFFSET = "x-millrace-source-offset";

	/** The header spelling of a content type, as the binders read it. */
	public static final String CONTENT_TYPE = "contentType";

	private DeadLetters() {
	}

	/**
	 * @param payload the record's bytes, unchanged
	 * @param reason short reason code
	 * @param detail explanation
	 * @param source the input it came from (a topic or binding), or {@code null}
	 * @param partition its input partition
	 * @param offset its offset (Kafka) or sequence number (Event Hubs), or -1
	 * @return the dead letter
	 */
	public static OutputRecord of(byte[] payload, String reason, String detail, String source, String partition,
			long offset) {
		Map<String, String> headers = new HashMap<>();
		// Not JSON when it could not be read: the content type says what it is.
		headers.put(CONTENT_TYPE, reason.equals(UNDECODABLE) ? "application/octet-stream" : "application/json");
		headers.put(ERROR_REASON, reason);
		headers.put(ERROR_DETAIL, detail);
		if (source != null) {
			headers.put(SOURCE_TOPIC, source);
		}
		headers.put(SOURCE_PARTITION, partition);
		headers.put(SOURCE_OFFSET, String.valueOf(offset));
		return new OutputRecord(OUTPUT, null, headers, payload);
	}

}
