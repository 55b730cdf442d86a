package io.millrace.alerting.deliverylog;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One notification to one subscription, as the delivery log shows it.
 *
 * @param notificationId the {@code webhook-id}
 * @param subscriptionId the subscription
 * @param alertId the alert
 * @param ruleId its rule
 * @param fingerprint its fingerprint
 * @param sensorId its sensor
 * @param alertStatus {@code firing} or {@code resolved}
 * @param status where the delivery is now
 * @param attempts attempts made
 * @param createdAt when the notification entered the outbox
 * @param updatedAt when the log last heard of it
 * @param nextAttemptAt when the next attempt is due, while retrying
 * @param history the attempts, oldest first (the last {@value DeliveryLog#HISTORY} of
 * them)
 * @param redeliveryRequestedAt when a redelivery was last asked for
 * @param input the task whose outbox holds it
 * @param partition its input partition
 * @param body the body as posted, base64
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(String notificationId, String subscriptionId, String alertId, String ruleId, String fingerprint,
		String sensorId, String alertStatus, DeliveryRecord.Status status, int attempts, Instant createdAt,
		Instant updatedAt, Instant nextAttemptAt, List<Attempt> history, Instant redeliveryRequestedAt,
		@JsonIgnore String input, @JsonIgnore String partition, @JsonIgnore String body) {

	/**
	 * One attempt.
	 *
	 * @param at when it ended
	 * @param outcome what it meant: delivered, retrying, failed
	 * @param statusCode the receiver's status, 0 when none came
	 * @param latencyMillis how long it took
	 * @param detail what it said
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Attempt(Instant at, DeliveryRecord.Status outcome, int statusCode, Long latencyMillis,
			String detail) {
	}

}
