package io.millrace.alerting;

import java.net.http.HttpResponse;
import java.util.List;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;
import io.millrace.security.ManagementPlaneContract;
import io.millrace.security.ReadAdminApiSecurityContract;
import io.millrace.security.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call alerting-service: {@code read} to list rules and alerts, {@code admin} to
 * change them (the shared contract of every such API).
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class AlertingSecurityIntegrationTests extends ReadAdminApiSecurityContract implements ManagementPlaneContract {

	static final String AUDIENCE = "api://millrace-alerting";

	static final KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());

	static final TestTokenIssuer issuer = TestTokenIssuer.start();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.stream.kafka.binder.brokers", broker::bootstrapServers);
		properties(registry, issuer, AUDIENCE);
	}

	@AfterAll
	static void stop(@Autowired ConfigurableApplicationContext application) {
		// The application's consumers stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		issuer.close();
		broker.close();
	}

	/** Every change, to each kind of definition, needs admin: a read key gets 403. */
	@Test
	void everyWriteOfTheApiNeedsAdmin() {
		ApiClient reader = new ApiClient(this.port, READER);
		List<String[]> writes = List.of(new String[] { "POST", "/api/v1/rules" },
				new String[] { "PUT", "/api/v1/rules/r1" }, new String[] { "DELETE", "/api/v1/rules/r1" },
				new String[] { "POST", "/api/v1/silences" }, new String[] { "DELETE", "/api/v1/silences/s1" },
				new String[] { "POST", "/api/v1/subscriptions" }, new String[] { "PUT", "/api/v1/subscriptions/s1" },
				new String[] { "DELETE", "/api/v1/subscriptions/s1" },
				new String[] { "POST", "/api/v1/subscriptions/s1/secret" },
				new String[] { "POST", "/api/v1/subscriptions/s1/enable" });
		for (String[] write : writes) {
			HttpResponse<String> response = reader.send(write[0], write[1], "{}");
			assertThat(response.statusCode()).as(write[0] + " " + write[1]).isEqualTo(403);
			assertThat(response.body()).contains("https://millrace.io/problems/forbidden", "needs the scope 'admin'");
		}
		for (String read : List.of("/api/v1/rules", "/api/v1/silences", "/api/v1/subscriptions")) {
			assertThat(reader.get(read).statusCode()).as(read).isEqualTo(200);
			assertThat(new ApiClient(this.port, null).get(read).statusCode()).as(read).isEqualTo(401);
		}
	}

	@Override
	protected String application() {
		return "alerting-service";
	}

	@Override
	protected String audience() {
		return AUDIENCE;
	}

	@Override
	protected TestTokenIssuer issuer() {
		return issuer;
	}

	@Override
	protected String readPath() {
		return "/api/v1/alerts";
	}

	@Override
	protected String adminWritePath() {
		return "/api/v1/rules";
	}

	@Override
	protected int adminWriteStatus() {
		// An admin key gets past security to the rules API, which finds no rule in {}.
		return 400;
	}

	@Override
	protected int port() {
		return this.port;
	}

	@Override
	public int managementPort() {
		return this.managementPort;
	}

	@Override
	public String adminKey() {
		return ADMIN;
	}

	@Override
	public String keyWithoutAdmin() {
		return READER;
	}

	@Override
	public String binding() {
		return "evaluateAggregates-in-0";
	}

}
