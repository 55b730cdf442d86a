package io.millrace.runtime.task;

import java.time.Duration;
import java.util.List;

import io.millrace.runtime.operator.OutputRecord;

/**
 * Sends output records without waiting for each, and tells when everything sent so far
 * has been acknowledged: what a transport adapter gives the runtime.
 */
public interface OutputSink {

	/**
	 * Send records to their outputs, in order.
	 * @param records the records
	 */
	void send(List<OutputRecord> records);

	/**
	 * Wait until everything sent so far is acknowledged.
	 * @param timeout how long to wait
	 * @return {@link Delivery#DELIVERED}, {@link Delivery#PENDING} when the timeout
	 * passed first, or {@link Delivery#FAILED} when a send failed (the unconfirmed
	 * records have then been sent again)
	 */
	Delivery awaitDelivered(Duration timeout);

	/** Records sent and not yet acknowledged. */
	int unconfirmed();

	/** The outcome of waiting for acknowledgements. */
	enum Delivery {

		DELIVERED, PENDING, FAILED

	}

}
