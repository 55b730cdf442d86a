package io.millrace.alerting.deliverylog;

import java.time.Instant;
import java.util.List;

import io.millrace.alerting.api.ApiException;
import io.millrace.alerting.api.ListQueries;
import io.millrace.alerting.audit.AdminChanges;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The delivery log over REST, and redelivery: {@code read} lists, {@code admin}
 * redelivers (the security module's rules for {@code /api/v1/**}).
 */
@RestController
@RequestMapping("/api/v1/deliveries")
class DeliveriesController {

	private static final int MAX_LIMIT = 1000;

	private final DeliveryLog log;

	private final Redeliveries redeliveries;

	private final AdminChanges changes;

	DeliveriesController(DeliveryLog log, Redeliveries redeliveries, AdminChanges changes) {
		this.log = log;
		this.redeliveries = redeliveries;
		this.changes = changes;
	}

	@GetMapping
	Deliveries list(@RequestParam(required = false) String subscription, @RequestParam(required = false) String status,
			@RequestParam(required = false) String rule,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@RequestParam(defaultValue = "100") int limit) {
		return new Deliveries(this.log.find(filter(subscription, status, rule, from, to, limit)));
	}

	@GetMapping("/{notificationId}")
	Deliveries of(@PathVariable String notificationId) {
		List<Delivery> deliveries = this.log.of(notificationId);
		if (deliveries.isEmpty()) {
			throw unknown(notificationId);
		}
		return new Deliveries(deliveries);
	}

	@PostMapping("/{notificationId}/redeliver")
	ResponseEntity<Redeliveries.Accepted> redeliver(@PathVariable String notificationId,
			@RequestParam(required = false) String subscription) {
		List<Delivery> deliveries = this.log.of(notificationId)
			.stream()
			.filter((delivery) -> subscription == null || delivery.subscriptionId().equals(subscription))
			.toList();
		if (deliveries.isEmpty()) {
			throw unknown(notificationId + ((subscription != null) ? " to subscription " + subscription : ""));
		}
		List<Redeliveries.Requested> requested = deliveries.stream()
			.map((delivery) -> new Redeliveries.Requested(delivery.notificationId(), delivery.subscriptionId(),
					this.redeliveries.request(delivery)))
			.toList();
		Redeliveries.Accepted accepted = new Redeliveries.Accepted(requested);
		this.changes.changed("notification", "redelivery-requested", notificationId, null, null, accepted);
		return ResponseEntity.accepted().body(accepted);
	}

	/**
	 * Redeliver what failed (or another status) in a time range.
	 * @param range the range, and optionally the subscription and status (default
	 * {@code failed})
	 * @return the requests made
	 */
	@PostMapping("/redeliver")
	ResponseEntity<Redeliveries.Accepted> redeliverRange(@RequestBody RedeliverRange range) {
		if (range.from() == null || range.to() == null) {
			throw ApiException.invalidQuery("invalid-time-range", "Invalid time range",
					"'from' and 'to' are required: the notifications made in [from, to) are redelivered");
		}
		String status = (range.status() != null) ? range.status() : DeliveryRecord.Status.FAILED.json();
		DeliveryLog.Filter filter = filter(range.subscription(), status, range.rule(), range.from(), range.to(),
				MAX_LIMIT);
		Redeliveries.Accepted accepted = new Redeliveries.Accepted(this.redeliveries.requestAll(filter));
		this.changes.changed("deliveries", "redelivery-requested", range.from() + "/" + range.to(), null, null,
				new RangeRedelivered(range, status, accepted.requests().size()));
		return ResponseEntity.accepted().body(accepted);
	}

	private static DeliveryLog.Filter filter(String subscription, String status, String rule, Instant from, Instant to,
			int limit) {
		ListQueries.check(from, to, limit, MAX_LIMIT);
		DeliveryRecord.Status parsed = null;
		if (status != null) {
			try {
				parsed = DeliveryRecord.Status.parse(status);
			}
			catch (IllegalArgumentException ex) {
				throw ApiException.invalidQuery("invalid-delivery-status", "Invalid delivery status",
						"'status' is one of pending, retrying, delivered, failed; not '" + status + "'");
			}
		}
		return new DeliveryLog.Filter(subscription, parsed, rule, from, to, limit);
	}

	private static ApiException unknown(String what) {
		return ApiException.unknown("unknown-notification", "Unknown notification",
				"The delivery log of this instance has no notification " + what);
	}

	/**
	 * What the audit trail says of a range redelivery.
	 *
	 * @param range what was asked for
	 * @param status the status redelivered
	 * @param requested how many deliveries were requested again
	 */
	record RangeRedelivered(RedeliverRange range, String status, int requested) {
	}

	/**
	 * A page of the delivery log.
	 *
	 * @param deliveries the deliveries, newest first
	 */
	record Deliveries(List<Delivery> deliveries) {
	}

	/**
	 * The body of {@code POST /api/v1/deliveries/redeliver}.
	 *
	 * @param from made at or after
	 * @param to made before
	 * @param subscription only this subscription's
	 * @param status only in this state (default {@code failed})
	 * @param rule only this rule's
	 */
	record RedeliverRange(Instant from, Instant to, String subscription, String status, String rule) {
	}

}
