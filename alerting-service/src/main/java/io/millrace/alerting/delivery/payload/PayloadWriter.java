package io.millrace.alerting.delivery.payload;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import io.millrace.model.json.MillraceJson;

/**
 * Writes an alert notification in a subscription's {@link PayloadFormat}, with the
 * contracts' Jackson settings. The body depends only on the alert and the notification,
 * never on the attempt, so every retry posts the same bytes.
 */
public final class PayloadWriter {

	/** CloudEvents {@code type} of a firing alert. */
	public static final String FIRING_TYPE = "io.millrace.alert.firing";

	/** CloudEvents {@code type} of a resolved alert. */
	public static final String RESOLVED_TYPE = "io.millrace.alert.resolved";

	/**
	 * What Alertmanager writes for an alert that has not ended: Go's zero time, not null,
	 * and receivers written for it test for exactly this string.
	 */
	static final String ALERTMANAGER_UNSET_TIME = "0001-01-01T00:00:00Z";

	private final ObjectMapper json = MillraceJson.mapper();

	private final URI externalUrl;

	private final URI source;

	/**
	 * @param externalUrl where people reach this Millrace installation (Alertmanager's
	 * {@code externalURL}; links to rules are made from it)
	 * @param source the CloudEvents {@code source} of alert events, for example
	 * {@code /millrace/alerting}
	 */
	public PayloadWriter(URI externalUrl, URI source) {
		this.externalUrl = externalUrl;
		this.source = source;
	}

	/**
	 * The body of one notification.
	 * @param format the subscription's format
	 * @param alert the alert
	 * @param notificationId the notification id (also the {@code webhook-id} header and
	 * the CloudEvents {@code id})
	 * @param receiver the subscription's name (Alertmanager's {@code receiver})
	 * @return the UTF-8 JSON body
	 */
	public byte[] write(PayloadFormat format, AlertEvent alert, String notificationId, String receiver) {
		Object document = switch (format) {
			case MILLRACE_JSON -> alert;
			case CLOUDEVENTS_STRUCTURED -> cloudEvent(alert, notificationId);
			case ALERTMANAGER_V4 -> alertmanager(alert, receiver);
		};
		return MillraceJson.bytes(document);
	}

	private ObjectNode cloudEvent(AlertEvent alert, String notificationId) {
		ObjectNode event = this.json.createObjectNode();
		event.put("specversion", "1.0");
		event.put("id", notificationId);
		event.put("source", this.source.toString());
		event.put("type", (alert.status() == AlertStatus.RESOLVED) ? RESOLVED_TYPE : FIRING_TYPE);
		// The alert's identity, so a receiver can route or dedupe without parsing data.
		event.put("subject", alert.fingerprint());
		Instant time = (alert.status() == AlertStatus.RESOLVED && alert.endsAt() != null) ? alert.endsAt()
				: alert.startsAt();
		if (time != null) {
			event.set("time", this.json.valueToTree(time));
		}
		event.put("datacontenttype", "application/json");
		event.set("data", this.json.valueToTree(alert));
		return event;
	}

	private ObjectNode alertmanager(AlertEvent alert, String receiver) {
		Map<String, String> labels = alertmanagerLabels(alert);
		Map<String, String> annotations = new TreeMap<>((alert.annotations() != null) ? alert.annotations() : Map.of());
		String status = (alert.status() == AlertStatus.RESOLVED) ? "resolved" : "firing";

		ObjectNode webhook = this.json.createObjectNode();
		webhook.put("version", "4");
		// One alert per notification, grouped by alertname as Alertmanager's default
		// route.
		webhook.put("groupKey", "{}:{alertname=\"" + labels.get("alertname") + "\"}");
		webhook.put("truncatedAlerts", 0);
		webhook.put("status", status);
		webhook.put("receiver", receiver);
		webhook.set("groupLabels", this.json.valueToTree(Map.of("alertname", labels.get("alertname"))));
		webhook.set("commonLabels", this.json.valueToTree(labels));
		webhook.set("commonAnnotations", this.json.valueToTree(annotations));
		webhook.put("externalURL", this.externalUrl.toString());

		ObjectNode entry = webhook.putArray("alerts").addObject();
		entry.put("status", status);
		entry.set("labels", this.json.valueToTree(labels));
		entry.set("annotations", this.json.valueToTree(annotations));
		entry.put("startsAt", time(alert.startsAt()));
		entry.put("endsAt", time(alert.endsAt()));
		entry.put("generatorURL", ruleUrl(alert.ruleId()));
		entry.put("fingerprint", alert.fingerprint());
		return webhook;
	}

	/**
	 * The alert's labels plus the two Alertmanager receivers route on: {@code alertname}
	 * (the rule) and {@code severity}, unless the alert already carries them. Sorted, as
	 * Alertmanager writes label sets.
	 */
	private static Map<String, String> alertmanagerLabels(AlertEvent alert) {
		Map<String, String> labels = new TreeMap<>((alert.labels() != null) ? alert.labels() : Map.of());
		labels.putIfAbsent("alertname", alert.ruleId());
		if (alert.severity() != null) {
			labels.putIfAbsent("severity", alert.severity());
		}
		return labels;
	}

	private String time(Instant instant) {
		return (instant != null) ? this.json.convertValue(instant, String.class) : ALERTMANAGER_UNSET_TIME;
	}

	private String ruleUrl(String ruleId) {
		String base = this.externalUrl.toString().replaceAll("/+$", "");
		return base + "/api/v1/rules/" + URLEncoder.encode(ruleId, StandardCharsets.UTF_8);
	}

}
