package io.millrace.serving;

import java.util.List;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;
import io.millrace.security.ManagementPlaneContract;
import io.millrace.security.ReadAdminApiSecurityContract;
import io.millrace.security.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may query serving-api: {@code read} to read, {@code admin} to change (the shared
 * contract of every such API).
 */
@AutoConfigureObservability
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ServingSecurityIntegrationTests extends ReadAdminApiSecurityContract implements ManagementPlaneContract {

	static final String AUDIENCE = "api://millrace-serving";

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
		// The application's clients stop before their broker: stopped at JVM exit, they
		// would wait for a broker that is gone (30 s each) and the fork would be killed.
		application.stop();
		issuer.close();
		broker.close();
	}

	@Override
	protected String application() {
		return "serving-api";
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
		return "/api/v1/sensors";
	}

	@Override
	protected String adminWritePath() {
		return "/api/v1/sensors";
	}

	@Override
	protected int adminWriteStatus() {
		// No write endpoint yet: an admin key gets past security to the API's own 405.
		return 405;
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
		return "receiveAggregates-in-0";
	}

	/**
	 * The consumer has no group (every instance reads everything): it can be paused, not
	 * restarted.
	 */
	@Override
	public List<String> adminChange() {
		return List.of("PAUSED", "RESUMED");
	}

}
