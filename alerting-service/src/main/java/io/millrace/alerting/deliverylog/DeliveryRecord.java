package io.millrace.alerting.deliverylog;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import io.millrace.model.json.MillraceJson;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.OutputRecord;

/**
 * One line of the delivery log, a record of the {@code alerting-deliveries} topic keyed
 * by notification id: a notification entered the outbox ({@code pending}, with its body),
 * an attempt ended ({@code delivered}, {@code retrying}), it was given up on
 * ({@code failed}), or someone asked for it again ({@code redelivery-requested}, a
 * command the owning instance carries out). The pipeline writes them with its
 * checkpoints, so the log says what the checkpointed outbox did.
 *
 * @param status what happened
 * @param notificationId the {@code webhook-id}
 * @param subscriptionId the subscription
 * @param at when
 * @param attempts attempts made so far
 * @param statusCode the receiver's answer to the last attempt, 0 for none
 * @param latencyMillis how long the last attempt took
 * @param detail what the last attempt or the dead letter said
 * @param nextAttemptAt when the next attempt is due ({@code retrying})
 * @param alertId the alert (pending)
 * @param ruleId the alert's rule (pending)
 * @param fingerprint the alert's fingerprint (pending)
 * @param sensorId the alert's sensor
 * @param alertStatus {@code firing} or {@code resolved} (pending)
 * @param input which task made it: {@code aggregates} or {@code readings}
 * @param partition the input partition whose outbox holds it
 * @param body the body as posted, base64 (pending and redelivery-requested)
 * @param requestId the redelivery request (redelivery-requested)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryRecord(Status status, String notificationId, String subscriptionId, Instant at, int attempts,
		int statusCode, Long latencyMillis, String detail, Instant nextAttemptAt, String alertId, String ruleId,
		String fingerprint, String sensorId, String alertStatus, String input, String partition, String body,
		String requestId) {

	/** The output binding of the delivery log, {@code alerting-deliveries}. */
	public static final String OUTPUT = "deliveries";

	/**
	 * This record as the delivery log's output record, keyed by notification id.
	 * @return the record to send
	 */
	public OutputRecord toOutputRecord() {
		return new OutputRecord(OUTPUT, this.notificationId, Map.of(DeadLetters.CONTENT_TYPE, "application/json"),
				MillraceJson.bytes(this));
	}

	/** What a record says happened. */
	public enum Status {

		PENDING, RETRYING, DELIVERED, FAILED, REDELIVERY_REQUESTED;

		@JsonValue
		public String json() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		@JsonCreator
		public static Status parse(String text) {
			return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}

	}

}
