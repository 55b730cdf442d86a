package io.millrace.local;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LocalSettingsTests {

	@Test
	void defaultsDescribeTheLocalPlatform() {
		LocalSettings settings = LocalSettings.load();
		assertThat(settings.topicPartitions()).containsEntry("telemetry-raw", 4)
			.containsEntry("telemetry-aggregates", 4)
			.containsEntry("telemetry-late", 2)
			.containsEntry("telemetry-deadletter", 1)
			.containsEntry("alerts", 2);
		assertThat(settings.apiPort("ingest-service")).isEqualTo(8081);
		assertThat(settings.managementPort("alerting-service")).isEqualTo(9084);
		assertThat(settings.apiPort("lakehouse-service")).isEqualTo(8085);
		assertThat(settings.managementPort("lakehouse-service")).isEqualTo(9085);
		assertThat(settings.duration("simulator.interval")).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void argumentsOverrideDefaults() {
		LocalSettings settings = LocalSettings.load("--topics.telemetry-raw.partitions=8", "--simulator.enabled=false");
		assertThat(settings.topicPartitions()).containsEntry("telemetry-raw", 8);
		assertThat(settings.flag("simulator.enabled")).isFalse();
	}

	@Test
	void unknownOrMalformedArgumentsAreRejectedWithTheReason() {
		assertThatIllegalArgumentException().isThrownBy(() -> LocalSettings.load("--no.such=1"))
			.withMessageContaining("Unknown setting 'no.such'");
		assertThatIllegalArgumentException().isThrownBy(() -> LocalSettings.load("topics"))
			.withMessageContaining("Expected --key=value");
	}

}
