package io.millrace.serving.vitals;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import io.millrace.serving.vitals.VitalSigns.Scrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vital signs from scrapes as the services write them (names and labels of
 * docs/operations.md).
 */
class VitalSignsTests {

	static final Instant T0 = Instant.parse("2026-02-05T10:00:00Z");

	static final Map<String, URI> ALL = Map.of("ingest", URI.create("http://ingest/actuator/prometheus"), "processing",
			URI.create("http://processing/actuator/prometheus"), "alerting",
			URI.create("http://alerting/actuator/prometheus"));

	@Test
	void withoutSourcesEveryVitalSignSaysItIsNotConfigured() {
		Vitals vitals = new VitalSigns(Map.of()).current(T0);
		assertThat(vitals.ingestRate().state()).isEqualTo(Vitals.NOT_CONFIGURED);
		assertThat(vitals.ingestRate().detail()).contains("millrace.serving.vitals.sources.ingest");
		assertThat(vitals.watermarkLag().state()).isEqualTo(Vitals.NOT_CONFIGURED);
		assertThat(vitals.consumerLag().state()).isEqualTo(Vitals.NOT_CONFIGURED);
		assertThat(vitals.webhookFailures().state()).isEqualTo(Vitals.NOT_CONFIGURED);
		assertThat(vitals.ingestRate().value()).isNull();
	}

	@Test
	void theIngestRateIsTheAcceptedCounterOverTheTimeBetweenTwoScrapes() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("ingest", T0, """
				# HELP millrace_ingest_events_accepted_total events acknowledged by the broker
				# TYPE millrace_ingest_events_accepted_total counter
				millrace_ingest_events_accepted_total{application="ingest-service"} 1000.0
				"""));
		assertThat(signs.current(T0).ingestRate().state()).isEqualTo(Vitals.PENDING);
		signs.record(scrape("ingest", T0.plusSeconds(5), """
				millrace_ingest_events_accepted_total{application="ingest-service"} 1250.0
				"""));
		Vitals.Vital rate = signs.current(T0.plusSeconds(5)).ingestRate();
		assertThat(rate.state()).isEqualTo(Vitals.OK);
		assertThat(rate.value()).isEqualTo(50.0);
		assertThat(rate.unit()).isEqualTo("events/s");
		assertThat(rate.observedAt()).isEqualTo(T0.plusSeconds(5));
	}

	@Test
	void aRestartedIngestResetsItsCounterAndTheRateWaitsForTheNextScrape() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("ingest", T0, "millrace_ingest_events_accepted_total 1000\n"));
		signs.record(scrape("ingest", T0.plusSeconds(5), "millrace_ingest_events_accepted_total 10\n"));
		assertThat(signs.current(T0).ingestRate().state()).isEqualTo(Vitals.PENDING);
		signs.record(scrape("ingest", T0.plusSeconds(10), "millrace_ingest_events_accepted_total 60\n"));
		assertThat(signs.current(T0).ingestRate().value()).isEqualTo(10.0);
	}

	@Test
	void watermarkLagIsProcessingsGaugeAndPendingBeforeItsFirstEvent() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("processing", T0, "millrace_processing_watermark_lag_seconds NaN\n"));
		assertThat(signs.current(T0).watermarkLag().state()).isEqualTo(Vitals.PENDING);
		signs.record(scrape("processing", T0,
				"millrace_processing_watermark_lag_seconds{application=\"processing-service\"} 3.5\n"));
		assertThat(signs.current(T0).watermarkLag().value()).isEqualTo(3.5);
		assertThat(signs.current(T0).watermarkLag().unit()).isEqualTo("s");
	}

	@Test
	void consumerLagAddsUpEveryGroupTopicAndPartitionOfEverySource() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("processing", T0, """
				spring_cloud_stream_binder_kafka_offset{group="processing",topic="telemetry-raw",partition="0"} 4.0
				spring_cloud_stream_binder_kafka_offset{group="processing",topic="telemetry-raw",partition="1"} 6.0
				"""));
		signs.record(scrape("alerting", T0, """
				spring_cloud_stream_binder_kafka_offset{group="alerting",topic="telemetry-aggregates"} 5.0
				"""));
		signs.record(VitalSigns.Scrape.failed("ingest", T0, "java.net.ConnectException"));
		Vitals.Vital lag = signs.current(T0).consumerLag();
		assertThat(lag.state()).isEqualTo(Vitals.OK);
		assertThat(lag.value()).isEqualTo(15.0);
		assertThat(lag.detail()).isEqualTo("alerting 5, ingest unavailable, processing 10");
	}

	@Test
	void consumerLagIsUnavailableWhenNoSourceExportsIt() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("processing", T0, "millrace_processing_watermark_lag_seconds 1\n"));
		assertThat(signs.current(T0).consumerLag().state()).isEqualTo(Vitals.UNAVAILABLE);
		assertThat(signs.current(T0).consumerLag().detail()).contains("spring_cloud_stream_binder_kafka_offset");
	}

	@Test
	void webhookFailuresAreTheNotificationsGivenUpOn() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("alerting", T0, """
				millrace_alerting_webhook_deliveries_total{application="alerting-service",outcome="delivered"} 7.0
				millrace_alerting_webhook_deliveries_total{application="alerting-service",outcome="failed"} 2.0
				millrace_alerting_webhook_attempts_total{application="alerting-service",outcome="retry"} 3.0
				"""));
		Vitals.Vital failures = signs.current(T0).webhookFailures();
		assertThat(failures.state()).isEqualTo(Vitals.OK);
		assertThat(failures.value()).isEqualTo(2.0);
		assertThat(failures.detail()).contains("7 delivered").contains("3 attempts to retry");
	}

	@Test
	void aFailedScrapeMakesItsVitalSignsUnavailableWithTheReason() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(VitalSigns.Scrape.failed("alerting", T0, "HTTP 503"));
		assertThat(signs.current(T0).webhookFailures().state()).isEqualTo(Vitals.UNAVAILABLE);
		assertThat(signs.current(T0).webhookFailures().detail()).contains("HTTP 503")
			.contains("http://alerting/actuator/prometheus");
		assertThat(signs.current(T0).ingestRate().state()).isEqualTo(Vitals.PENDING);
	}

	@Test
	void aSourceWithoutTheMetricSaysSo() {
		VitalSigns signs = new VitalSigns(ALL);
		signs.record(scrape("alerting", T0, "jvm_threads_live_threads 12\n"));
		assertThat(signs.current(T0).webhookFailures().state()).isEqualTo(Vitals.UNAVAILABLE);
		assertThat(signs.current(T0).webhookFailures().detail())
			.isEqualTo("alerting does not export millrace_alerting_webhook_deliveries_total");
	}

	@Test
	void labelValuesMayHoldEscapesCommasAndBraces() {
		PrometheusText text = PrometheusText.parse("""
				odd_total{path="/a,b}",quote="say \\"hi\\"",line="x\\ny"} 3 1700000000000
				odd_total{path="/c"} +Inf
				broken line without value
				""");
		assertThat(text.sum("odd_total", (labels) -> "say \"hi\"".equals(labels.get("quote")))).isEqualTo(3.0);
		assertThat(text.sum("odd_total", (labels) -> "/a,b}".equals(labels.get("path")))).isEqualTo(3.0);
		assertThat(text.max("odd_total")).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(text.has("broken")).isFalse();
	}

	private static Scrape scrape(String source, Instant at, String text) {
		return Scrape.of(source, at, PrometheusText.parse(text));
	}

}
