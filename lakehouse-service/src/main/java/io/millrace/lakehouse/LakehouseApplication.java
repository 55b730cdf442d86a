package io.millrace.lakehouse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Writes the medallion Delta tables from the platform's topics, exactly once. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LakehouseApplication {

	public static void main(String[] args) {
		SpringApplication.run(LakehouseApplication.class, args);
	}

}
