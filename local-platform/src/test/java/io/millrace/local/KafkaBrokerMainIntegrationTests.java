package io.millrace.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker-only entry point as scripts use it: its own JVM, a free port, the platform's
 * topics, and a clean stop on SIGTERM.
 */
class KafkaBrokerMainIntegrationTests {

	private static final Pattern READY = Pattern.compile("Kafka broker ready on 127\\.0\\.0\\.1:(\\d+) .*");

	@Test
	void servesThePlatformTopicsOnAFreePortAndStopsOnSigterm() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				KafkaBrokerMain.class.getName(), "--kafka.port=0", "--topics.alerts.partitions=3")
			.redirectErrorStream(true)
			.start();
		List<String> output = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			Integer port = null;
			String line;
			while (port == null && (line = out.readLine()) != null) {
				output.add(line);
				Matcher ready = READY.matcher(line);
				if (ready.matches()) {
					port = Integer.valueOf(ready.group(1));
				}
			}
			assertThat(port).as("ready line in %s", output).isNotNull();
			try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
				Set<String> expected = LocalSettings.load().topicPartitions().keySet();
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(expected);
				assertThat(admin.describeTopics(List.of("alerts")).allTopicNames().get().get("alerts").partitions())
					.hasSize(3);
			}
			// SIGTERM through the handle: Process.destroy() would also close our end of
			// its output.
			process.toHandle().destroy();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			while ((line = out.readLine()) != null) {
				output.add(line);
			}
		}
		finally {
			process.destroyForcibly();
		}
		assertThat(output).contains("Kafka broker stopped.");
	}

}
