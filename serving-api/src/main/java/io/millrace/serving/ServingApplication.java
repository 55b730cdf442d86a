package io.millrace.serving;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Answers REST queries over the window aggregates of {@code telemetry-aggregates}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ServingApplication {

	public static void main(String[] args) {
		SpringApplication.run(ServingApplication.class, args);
	}

}
