package io.millrace.ingest.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The histograms as Prometheus scrapes them: a bounded number of buckets, the largest
 * finite one at the limit that bounds what is measured.
 */
class IngestMetricsTests {

	private static final String REQUEST_SIZE = "millrace_ingest_request_size_bytes_bucket";

	private static final String PUBLISH_LATENCY = "millrace_ingest_publish_latency_seconds_bucket";

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	@Test
	void requestSizeHasPowerOfFourBucketsUpToTheRequestLimit() {
		IngestMetrics metrics = withDefaultLimits();
		metrics.received(3000);

		List<String> buckets = bucketBounds(REQUEST_SIZE);
		assertThat(buckets).containsExactly("256.0", "1024.0", "4096.0", "16384.0", "65536.0", "262144.0", "1048576.0",
				"4194304.0", "5242880.0", "+Inf");
		assertThat(bucketLine(REQUEST_SIZE, "1024.0")).endsWith(" 0");
		assertThat(bucketLine(REQUEST_SIZE, "4096.0")).endsWith(" 1");
	}

	@Test
	void publishLatencyHasOneTwoFiveBucketsFromAMillisecondUpToThePublishTimeout() {
		IngestMetrics metrics = withDefaultLimits();
		metrics.published(TimeUnit.MILLISECONDS.toNanos(30));

		List<String> buckets = bucketBounds(PUBLISH_LATENCY);
		assertThat(buckets).containsExactly("0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
				"1.0", "2.5", "5.0", "10.0", "+Inf");
		assertThat(bucketLine(PUBLISH_LATENCY, "0.025")).endsWith(" 0");
		assertThat(bucketLine(PUBLISH_LATENCY, "0.05")).endsWith(" 1");
	}

	@Test
	void otherLimitsMoveTheLargestBucketAndKeepTheCountBounded() {
		new IngestMetrics(this.registry, DataSize.ofMegabytes(512).toBytes(), Duration.ofSeconds(45));

		assertThat(bucketBounds(REQUEST_SIZE)).hasSizeLessThanOrEqualTo(20).endsWith("5.36870912E8", "+Inf");
		assertThat(bucketBounds(PUBLISH_LATENCY)).hasSizeLessThanOrEqualTo(20).endsWith("25.0", "45.0", "+Inf");
	}

	@Test
	void aLimitOnALadderStepIsNotRepeated() {
		assertThat(IngestMetrics.requestSizeBuckets(4096)).containsExactly(256, 1024, 4096);
		assertThat(IngestMetrics.publishLatencyBuckets(Duration.ofMillis(500))).endsWith(Duration.ofMillis(250),
				Duration.ofMillis(500));
	}

	@Test
	void everyRejectionReasonIsExportedAtZeroBeforeTheFirstRejection() {
		withDefaultLimits();

		List<String> rejected = this.registry.scrape()
			.lines()
			.filter((line) -> line.startsWith("millrace_ingest_requests_rejected_total{"))
			.toList();
		assertThat(rejected).hasSize(10).allSatisfy((line) -> assertThat(line).endsWith(" 0.0"));
		for (String reason : List.of("unauthorized", "forbidden", "rate-limited", "too-busy")) {
			assertThat(rejected).anySatisfy((line) -> assertThat(line).contains("reason=\"" + reason + "\""));
		}
	}

	@Test
	void countersHaveTheDocumentedPrometheusNames() {
		IngestMetrics metrics = withDefaultLimits();
		metrics.accepted(2);
		metrics.acceptedBytes(300);

		assertThat(this.registry.scrape()).contains("millrace_ingest_events_accepted_total ",
				"millrace_ingest_bytes_accepted_total ", "millrace_ingest_events_rejected_total ",
				"millrace_ingest_publish_failures_total ");
	}

	private IngestMetrics withDefaultLimits() {
		IngestProperties defaults = new Binder(new MapConfigurationPropertySource()).bindOrCreate("millrace.ingest",
				IngestProperties.class);
		return new IngestMetrics(this.registry, defaults.maxBytesPerRequest().toBytes(), defaults.publishTimeout());
	}

	/** The {@code le} of every bucket line of a histogram, in scrape order. */
	private List<String> bucketBounds(String bucketName) {
		return bucketLines(bucketName).stream()
			.map((line) -> line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4)))
			.toList();
	}

	private String bucketLine(String bucketName, String le) {
		return bucketLines(bucketName).stream()
			.filter((line) -> line.contains("le=\"" + le + "\""))
			.findFirst()
			.orElseThrow();
	}

	private List<String> bucketLines(String bucketName) {
		return this.registry.scrape().lines().filter((line) -> line.startsWith(bucketName + "{")).toList();
	}

}
