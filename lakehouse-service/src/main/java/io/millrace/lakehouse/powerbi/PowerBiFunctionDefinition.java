package io.millrace.lakehouse.powerbi;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Adds {@code pushPowerBi} to {@code spring.cloud.function.definition} when the push is
 * on. Naming it always would make Spring Cloud Stream warn at every start of the default
 * (push off) that the definition names a function that does not exist; a binding that
 * exists but is not started would make readiness DOWN.
 */
public class PowerBiFunctionDefinition implements EnvironmentPostProcessor {

	static final String FUNCTION = "pushPowerBi";

	private static final String DEFINITION = "spring.cloud.function.definition";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("millrace.lakehouse.powerbi.enabled", Boolean.class, false)) {
			return;
		}
		String definition = environment.getProperty(DEFINITION, "");
		for (String function : definition.split(";")) {
			if (function.trim().equals(FUNCTION)) {
				return;
			}
		}
		String added = definition.isBlank() ? FUNCTION : definition + ";" + FUNCTION;
		environment.getPropertySources().addFirst(new MapPropertySource("millrace-powerbi", Map.of(DEFINITION, added)));
	}

}
