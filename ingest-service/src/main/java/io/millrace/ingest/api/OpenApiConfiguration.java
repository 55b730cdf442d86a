package io.millrace.ingest.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}) and Swagger UI ({@code /swagger-ui.html})
 * on the API port, generated from the controllers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String API_KEY = "apiKey";

	private static final String ENTRA_ID = "entraId";

	@Bean
	OpenAPI ingestOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Millrace ingest API")
				.version("v1")
				.description("Send telemetry events. 202 means the broker acknowledged every accepted event; "
						+ "errors are RFC 9457 problem details with a stable type.")
				.license(new License().name("Apache-2.0")))
			.components(new Components()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.HEADER)
							.name("X-API-Key")
							.description("An API key (also accepted as 'Authorization: ApiKey <key>')"))
				.addSecuritySchemes(ENTRA_ID,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("JWT")
							.description("A Microsoft Entra ID access token, when the service is configured for it")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY))
			.addSecurityItem(new SecurityRequirement().addList(ENTRA_ID));
	}

}
