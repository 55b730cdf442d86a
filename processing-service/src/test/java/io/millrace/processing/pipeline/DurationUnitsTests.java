package io.millrace.processing.pipeline;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class DurationUnitsTests {

	@Test
	void aBareNumberFromAnEnvironmentVariableIsRefusedWithItsName() {
		StandardEnvironment environment = environment(Map.of("MILLRACE_PROCESSING_ALLOWEDLATENESS", "30",
				"MILLRACE_PROCESSING_WINDOWS_0_KIND", "tumbling", "MILLRACE_PROCESSING_WINDOWS_0_SIZE", "60000"));

		assertThatIllegalStateException().isThrownBy(() -> DurationUnits.requireUnits(environment))
			.withMessageContaining("millrace.processing.allowed-lateness=30")
			.withMessageContaining("millrace.processing.windows[0].size=60000")
			.withMessageContaining("need a unit");
	}

	@Test
	void unitsAndZeroAreAccepted() {
		StandardEnvironment environment = environment(Map.of("MILLRACE_PROCESSING_ALLOWEDLATENESS", "30s",
				"MILLRACE_PROCESSING_MAXOUTOFORDERNESS", "0", "MILLRACE_PROCESSING_EARLYEMISSIONINTERVAL", "PT10S"));
		environment.getPropertySources()
			.addLast(new MapPropertySource("yaml", Map.of("millrace.processing.windows[0].kind", "hopping",
					"millrace.processing.windows[0].size", "5m", "millrace.processing.windows[0].advance", "1m")));

		assertThatNoException().isThrownBy(() -> DurationUnits.requireUnits(environment));
	}

	private static StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
		return environment;
	}

}
