package io.millrace.alerting.pipeline;

import java.io.DataInput;
import java.io.IOException;

/**
 * One notification to one subscription, as the outbox keeps it until it is delivered or
 * dead-lettered. Immutable: an attempt's result makes a new entry.
 *
 * @param notificationId {@code msg_} and the alert id: the Standard Webhooks
 * {@code webhook-id} of every attempt
 * @param subscriptionId the subscription
 * @param sensorId the alert's sensor, the key of its dead letter
 * @param payload the exact body, in the subscription's format
 * @param attempts attempts made so far
 * @param nextAttemptAt when the next attempt is due, epoch milliseconds
 * @param createdAt when the alert was decided, epoch milliseconds
 * @param lastError what the last failed attempt said, or empty
 */
record OutboxEntry(String notificationId, String subscriptionId, String sensorId, byte[] payload, int attempts,
		long nextAttemptAt, long createdAt, String lastError) {

	/** The outbox key: one entry per notification and subscription. */
	String key() {
		return key(this.notificationId, this.subscriptionId);
	}

	static String key(String notificationId, String subscriptionId) {
		return notificationId + " " + subscriptionId;
	}

	OutboxEntry retryAt(long next, String error) {
		return new OutboxEntry(this.notificationId, this.subscriptionId, this.sensorId, this.payload, this.attempts + 1,
				next, this.createdAt, error);
	}

	/** An entry of a version 2 or 3 snapshot (before {@link PartitionOutbox}). */
	static OutboxEntry readFrom(DataInput in) throws IOException {
		String notificationId = in.readUTF();
		String subscriptionId = in.readUTF();
		String sensorId = in.readUTF();
		byte[] payload = new byte[in.readInt()];
		in.readFully(payload);
		return new OutboxEntry(notificationId, subscriptionId, sensorId, payload, in.readInt(), in.readLong(),
				in.readLong(), in.readUTF());
	}

	static String truncated(String error) {
		return (error.length() > 1000) ? error.substring(0, 1000) : error;
	}

}
