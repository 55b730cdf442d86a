package io.millrace.ingest.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}) and Swagger UI ({@code /swagger-ui.html})
 * on the API port, generated from the controllers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI ingestOpenApi() {
		return new OpenAPI().info(new Info().title("Millrace ingest API")
			.version("v1")
			.description("Send telemetry events. 202 means the broker acknowledged every accepted event; "
					+ "errors are RFC 9457 problem details with a stable type.")
			.license(new License().name("Apache-2.0")));
	}

}
