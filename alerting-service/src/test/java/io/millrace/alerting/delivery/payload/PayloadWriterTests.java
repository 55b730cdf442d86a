package io.millrace.alerting.delivery.payload;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.alerting.delivery.Alerts;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The three payload shapes, field by field. */
class PayloadWriterTests {

	private final PayloadWriter writer = new PayloadWriter(URI.create("https://millrace.example.com"),
			URI.create("/millrace/alerting"));

	@Test
	void millraceJsonIsTheAlertEventContract() throws Exception {
		byte[] body = this.writer.write(PayloadFormat.MILLRACE_JSON, Alerts.firing(), "msg_1", "ops");
		assertThat(MillraceJson.mapper().readValue(body, AlertEvent.class)).isEqualTo(Alerts.firing());
		assertThat(PayloadFormat.MILLRACE_JSON.contentType()).isEqualTo("application/json; charset=utf-8");
	}

	@Test
	void cloudEventsStructuredCarriesTheAlertAsData() throws Exception {
		JsonNode event = read(PayloadFormat.CLOUDEVENTS_STRUCTURED, Alerts.firing());
		assertThat(fieldNames(event)).containsExactly("specversion", "id", "source", "type", "subject", "time",
				"datacontenttype", "data");
		assertThat(event.get("specversion").asText()).isEqualTo("1.0");
		assertThat(event.get("id").asText()).isEqualTo("msg_1");
		assertThat(event.get("source").asText()).isEqualTo("/millrace/alerting");
		assertThat(event.get("type").asText()).isEqualTo("io.millrace.alert.firing");
		assertThat(event.get("subject").asText()).isEqualTo("3f2a9c1d0b7e4a55");
		assertThat(event.get("time").asText()).isEqualTo("2026-02-05T10:01:00Z");
		assertThat(event.get("datacontenttype").asText()).isEqualTo("application/json");
		assertThat(MillraceJson.mapper().treeToValue(event.get("data"), AlertEvent.class)).isEqualTo(Alerts.firing());
		assertThat(PayloadFormat.CLOUDEVENTS_STRUCTURED.contentType())
			.isEqualTo("application/cloudevents+json; charset=utf-8");

		JsonNode resolved = read(PayloadFormat.CLOUDEVENTS_STRUCTURED, Alerts.resolved());
		assertThat(resolved.get("type").asText()).isEqualTo("io.millrace.alert.resolved");
		assertThat(resolved.get("time").asText()).isEqualTo("2026-02-05T10:07:00Z");
	}

	@Test
	void alertmanagerV4HasAlertmanagersFieldNamesExactly() throws Exception {
		JsonNode webhook = read(PayloadFormat.ALERTMANAGER_V4, Alerts.firing());
		assertThat(fieldNames(webhook)).containsExactly("version", "groupKey", "truncatedAlerts", "status", "receiver",
				"groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts");
		assertThat(webhook.get("version").asText()).isEqualTo("4");
		assertThat(webhook.get("version").isTextual()).isTrue();
		assertThat(webhook.get("groupKey").asText()).isEqualTo("{}:{alertname=\"hot-boiler\"}");
		assertThat(webhook.get("truncatedAlerts").asInt()).isZero();
		assertThat(webhook.get("status").asText()).isEqualTo("firing");
		assertThat(webhook.get("receiver").asText()).isEqualTo("ops");
		assertThat(webhook.get("groupLabels").toString()).isEqualTo("{\"alertname\":\"hot-boiler\"}");
		assertThat(webhook.get("commonLabels").get("alertname").asText()).isEqualTo("hot-boiler");
		assertThat(webhook.get("commonLabels").get("severity").asText()).isEqualTo("critical");
		assertThat(webhook.get("commonAnnotations").get("summary").asText()).isEqualTo("s1 temperature avg 91.5 > 80");
		assertThat(webhook.get("externalURL").asText()).isEqualTo("https://millrace.example.com");

		assertThat(webhook.get("alerts")).hasSize(1);
		JsonNode alert = webhook.get("alerts").get(0);
		assertThat(fieldNames(alert)).containsExactly("status", "labels", "annotations", "startsAt", "endsAt",
				"generatorURL", "fingerprint");
		assertThat(alert.get("status").asText()).isEqualTo("firing");
		assertThat(fieldNames(alert.get("labels"))).containsExactly("alertname", "metric", "rule", "sensorId",
				"severity", "statistic");
		assertThat(alert.get("startsAt").asText()).isEqualTo("2026-02-05T10:01:00Z");
		assertThat(alert.get("endsAt").asText()).as("Go's zero time, as Alertmanager sends for an open alert")
			.isEqualTo("0001-01-01T00:00:00Z");
		assertThat(alert.get("generatorURL").asText())
			.isEqualTo("https://millrace.example.com/api/v1/rules/hot-boiler");
		assertThat(alert.get("fingerprint").asText()).isEqualTo("3f2a9c1d0b7e4a55");
	}

	@Test
	void alertmanagerResolvedAlertHasItsEnd() throws Exception {
		JsonNode webhook = read(PayloadFormat.ALERTMANAGER_V4, Alerts.resolved());
		assertThat(webhook.get("status").asText()).isEqualTo("resolved");
		assertThat(webhook.get("alerts").get(0).get("status").asText()).isEqualTo("resolved");
		assertThat(webhook.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-02-05T10:07:00Z");
	}

	@Test
	void theSameNotificationAlwaysHasTheSameBytes() {
		for (PayloadFormat format : PayloadFormat.values()) {
			assertThat(this.writer.write(format, Alerts.firing(), "msg_1", "ops"))
				.isEqualTo(this.writer.write(format, Alerts.firing(), "msg_1", "ops"));
		}
	}

	private JsonNode read(PayloadFormat format, AlertEvent alert) throws Exception {
		return MillraceJson.mapper().readTree(this.writer.write(format, alert, "msg_1", "ops"));
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new java.util.ArrayList<>();
		node.fieldNames().forEachRemaining(names::add);
		return names;
	}

}
