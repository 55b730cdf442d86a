package io.millrace.alerting.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.millrace.alerting.deliverylog.DeliveryRecord;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import io.millrace.runtime.decode.DeadLetters;
import io.millrace.runtime.operator.OutputRecord;

/**
 * The operator's outputs: alerts on {@code alerts}, keyed by sensorId, and notifications
 * given up on, on the runtime's {@code deadletter} output (telemetry-deadletter) with the
 * body as it was posted and the reason.
 */
final class AlertOutputs {

	static final String ALERTS = "alerts";

	/** The delivery log, {@code alerting-deliveries}. */
	static final String DELIVERIES = DeliveryRecord.OUTPUT;

	/** Every attempt of the retry schedule failed. */
	static final String WEBHOOK_UNDELIVERED = "webhook-undelivered";

	/** The receiver refused it (4xx other than 408/429/410, or a redirect). */
	static final String WEBHOOK_REJECTED = "webhook-rejected";

	/** The SSRF guard refused the subscription's URL; nothing was sent. */
	static final String WEBHOOK_REFUSED = "webhook-refused";

	/** The receiver answered 410 Gone: the subscription is disabled. */
	static final String SUBSCRIPTION_GONE = "subscription-gone";

	/**
	 * The subscription was disabled (410 Gone elsewhere, failing too long, or by a user).
	 */
	static final String SUBSCRIPTION_DISABLED = "subscription-disabled";

	/** The subscription no longer exists. */
	static final String SUBSCRIPTION_REMOVED = "subscription-removed";

	static final List<String> WEBHOOK_REASONS = List.of(WEBHOOK_UNDELIVERED, WEBHOOK_REJECTED, WEBHOOK_REFUSED,
			SUBSCRIPTION_GONE, SUBSCRIPTION_DISABLED, SUBSCRIPTION_REMOVED);

	static final String WEBHOOK_ID = "x-millrace-webhook-id";

	static final String SUBSCRIPTION = "x-millrace-subscription";

	static final String ATTEMPTS = "x-millrace-attempts";

	private static final Map<String, String> JSON = Map.of(DeadLetters.CONTENT_TYPE, "application/json");

	private AlertOutputs() {
	}

	static OutputRecord alert(AlertEvent alert) {
		return new OutputRecord(ALERTS, alert.sensorId(), JSON, MillraceJson.bytes(alert));
	}

	static OutputRecord undelivered(OutboxEntry entry, String reason, String detail, String source, String partition) {
		OutputRecord deadLetter = DeadLetters.of(entry.payload(), reason, detail, source, partition, -1);
		Map<String, String> headers = new HashMap<>(deadLetter.headers());
		headers.put(WEBHOOK_ID, entry.notificationId());
		headers.put(SUBSCRIPTION, entry.subscriptionId());
		headers.put(ATTEMPTS, Integer.toString(entry.attempts()));
		return new OutputRecord(DeadLetters.OUTPUT, null, headers, entry.payload());
	}

}
