package io.millrace.alerting.deliverylog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.millrace.transport.OutputMessages;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.stereotype.Component;

/**
 * Asks for notifications to be delivered again: a {@code redelivery-requested} record on
 * the delivery log, which the instance owning the notification's input partition carries
 * out through its outbox (same {@code webhook-id}, the retry schedule from the start).
 */
@Component
public class Redeliveries {

	private final StreamBridge bridge;

	private final DeliveryLog log;

	private final Clock clock;

	Redeliveries(StreamBridge bridge, DeliveryLog log) {
		this.bridge = bridge;
		this.log = log;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Redeliver one delivery.
	 * @param delivery a delivery from the log
	 * @return the request id
	 */
	public String request(Delivery delivery) {
		String requestId = "rd_" + UUID.randomUUID().toString().replace("-", "");
		DeliveryRecord request = new DeliveryRecord(DeliveryRecord.Status.REDELIVERY_REQUESTED,
				delivery.notificationId(), delivery.subscriptionId(), Instant.now(this.clock), delivery.attempts(), 0,
				null, null, null, delivery.alertId(), delivery.ruleId(), delivery.fingerprint(), delivery.sensorId(),
				delivery.alertStatus(), delivery.input(), delivery.partition(), delivery.body(), requestId);
		if (!this.bridge.send(DeliveryRecord.OUTPUT, OutputMessages.toMessage(request.toOutputRecord()))) {
			throw new IllegalStateException("The delivery log did not accept the redelivery request");
		}
		return requestId;
	}

	/**
	 * Redeliver every delivery a filter finds.
	 * @param filter which
	 * @return the requests made, one per delivery
	 */
	public List<Requested> requestAll(DeliveryLog.Filter filter) {
		List<Requested> requested = new ArrayList<>();
		for (Delivery delivery : this.log.find(filter)) {
			requested.add(new Requested(delivery.notificationId(), delivery.subscriptionId(), request(delivery)));
		}
		return requested;
	}

	/**
	 * One redelivery asked for.
	 *
	 * @param notificationId the {@code webhook-id}
	 * @param subscriptionId the subscription
	 * @param requestId the request
	 */
	public record Requested(String notificationId, String subscriptionId, String requestId) {
	}

	/**
	 * The answer to a redelivery request: it is carried out by the instance that owns the
	 * notification, within a tick or two.
	 *
	 * @param requests one per delivery
	 */
	public record Accepted(List<Requested> requests) {
	}

}
