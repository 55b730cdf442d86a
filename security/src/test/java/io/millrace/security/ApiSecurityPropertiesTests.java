package io.millrace.security;

import io.millrace.model.security.ApiKeyHashes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mistake in the key configuration stops the service with a message that says which.
 */
class ApiSecurityPropertiesTests {

	final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Properties.class);

	@Test
	void keysAreBoundWithTheirScopesAndEntraRolesHaveDefaults() {
		this.context
			.withPropertyValues("millrace.security.api-keys[0].name=fleet",
					"millrace.security.api-keys[0].hash=" + ApiKeyHashes.sha256("k"),
					"millrace.security.api-keys[0].scopes=events:write,read")
			.run((context) -> {
				ApiSecurityProperties properties = context.getBean(ApiSecurityProperties.class);
				assertThat(properties.apiKeys()).singleElement()
					.satisfies((key) -> assertThat(key.scopes()).containsExactlyInAnyOrder("events:write", "read"));
				assertThat(properties.roleScopes()).containsEntry("Events.Write", "events:write");
			});
	}

	@Test
	void withoutKeysNothingIsAcceptedButTheServiceStarts() {
		this.context.run((context) -> assertThat(context.getBean(ApiSecurityProperties.class).apiKeys()).isEmpty());
	}

	@Test
	void aKeyConfiguredInsteadOfItsHashIsRefused() {
		this.context
			.withPropertyValues("millrace.security.api-keys[0].name=fleet",
					"millrace.security.api-keys[0].hash=mr_this-is-the-key-itself",
					"millrace.security.api-keys[0].scopes=events:write")
			.run((context) -> {
				assertThat(context).getFailure().rootCause().hasMessageContaining("never the key itself");
				for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("mr_this-is-the-key-itself");
				}
			});
	}

	@Test
	void anUnknownScopeOrATwiceUsedNameIsRefused() {
		String hash = ApiKeyHashes.sha256("k");
		this.context
			.withPropertyValues("millrace.security.api-keys[0].name=fleet",
					"millrace.security.api-keys[0].hash=" + hash, "millrace.security.api-keys[0].scopes=write")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("'write' is not a scope"));
		this.context
			.withPropertyValues("millrace.security.api-keys[0].name=fleet",
					"millrace.security.api-keys[0].hash=" + hash, "millrace.security.api-keys[0].scopes=read",
					"millrace.security.api-keys[1].name=fleet", "millrace.security.api-keys[1].hash=" + hash,
					"millrace.security.api-keys[1].scopes=read")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("every key needs its own name"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(ApiSecurityProperties.class)
	static class Properties {

	}

}
