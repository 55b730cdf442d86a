package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local run starts every Spring Boot application of the Maven reactor, each on ports
 * of its own, and keeps lakehouse-service's tables under the launcher's data directory
 * (so {@code ./run-local.sh --clean} wipes them with the broker's data).
 */
class LocalPlatformServicesTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	@Test
	void everySpringBootApplicationOfTheReactorIsStarted() throws IOException {
		String pom = Files.readString(REPOSITORY.resolve("pom.xml"));
		Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
		Set<String> applications = new HashSet<>();
		while (modules.find()) {
			Path sources = REPOSITORY.resolve(modules.group(1)).resolve("src/main/java");
			if (Files.isDirectory(sources) && hasSpringBootApplication(sources)) {
				applications.add(modules.group(1));
			}
		}
		assertThat(applications).contains("ingest-service", "lakehouse-service");
		assertThat(LocalPlatform.SERVICES).containsExactlyInAnyOrderElementsOf(applications);
	}

	@Test
	void everyServiceHasPortsOfItsOwn() {
		LocalSettings settings = LocalSettings.load();
		Set<Integer> ports = new HashSet<>();
		for (String service : LocalPlatform.SERVICES) {
			assertThat(ports.add(settings.apiPort(service))).as(service + " API port").isTrue();
			assertThat(ports.add(settings.managementPort(service))).as(service + " management port").isTrue();
		}
		assertThat(ports).contains(8085, 9085)
			.doesNotContain(settings.integer("kafka.port"), settings.integer("webhook.port"));
	}

	@Test
	void lakehouseTablesLiveInTheLaunchersDataDirectory() {
		Path dataDir = Path.of("/repo/.millrace");
		assertThat(LocalPlatform.lakehouseRoot(dataDir)).isEqualTo(Path.of("/repo/.millrace/lakehouse"));
		assertThat(List.of(LocalPlatform.BRONZE_TABLE, LocalPlatform.GOLD_TABLE))
			.containsExactly("bronze/telemetry_events", "gold/window_aggregates");
	}

	@Test
	void servingApiScrapesEveryOtherServiceForTheDashboardsVitalSigns() {
		LocalSettings settings = LocalSettings.load();
		Map<String, Integer> managementPorts = new LinkedHashMap<>();
		LocalPlatform.SERVICES.forEach((service) -> managementPorts.put(service, settings.managementPort(service)));
		assertThat(LocalPlatform.vitalsSources(managementPorts)).containsExactly(
				Map.entry("millrace.serving.vitals.sources.ingest", "http://127.0.0.1:9081/actuator/prometheus"),
				Map.entry("millrace.serving.vitals.sources.processing", "http://127.0.0.1:9082/actuator/prometheus"),
				Map.entry("millrace.serving.vitals.sources.alerting", "http://127.0.0.1:9084/actuator/prometheus"),
				Map.entry("millrace.serving.vitals.sources.lakehouse", "http://127.0.0.1:9085/actuator/prometheus"));
	}

	private static boolean hasSpringBootApplication(Path sources) {
		try (Stream<Path> files = Files.walk(sources)) {
			return files.filter((file) -> file.toString().endsWith(".java")).anyMatch((file) -> {
				try {
					return Files.readString(file).contains("@SpringBootApplication");
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
