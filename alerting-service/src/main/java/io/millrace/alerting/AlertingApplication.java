package io.millrace.alerting;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Evaluates alert rules on window aggregates, publishes alerts and delivers webhooks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AlertingApplication {

	public static void main(String[] args) {
		SpringApplication.run(AlertingApplication.class, args);
	}

}
