package io.millrace.lakehouse.powerbi;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class PowerBiFunctionDefinitionTests {

	@Test
	void thePushFunctionIsBoundOnlyWhenEnabled() {
		assertThat(definition(Map.of("spring.cloud.function.definition", "writeBronze;writeGold")))
			.isEqualTo("writeBronze;writeGold");
		assertThat(definition(Map.of("spring.cloud.function.definition", "writeBronze;writeGold",
				"millrace.lakehouse.powerbi.enabled", "true")))
			.isEqualTo("writeBronze;writeGold;pushPowerBi");
		assertThat(definition(Map.of("spring.cloud.function.definition", "writeBronze;pushPowerBi",
				"millrace.lakehouse.powerbi.enabled", "true")))
			.isEqualTo("writeBronze;pushPowerBi");
	}

	private static String definition(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new PowerBiFunctionDefinition().postProcessEnvironment(environment, null);
		return environment.getProperty("spring.cloud.function.definition");
	}

}
