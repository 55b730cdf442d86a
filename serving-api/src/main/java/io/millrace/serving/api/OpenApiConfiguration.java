package io.millrace.serving.api;

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
	OpenAPI servingOpenApi() {
		return new OpenAPI().info(new Info().title("Millrace serving API")
			.version("v1")
			.description("Live and recent window aggregates from memory: sensors, series (with bins), top-N and a "
					+ "Server-Sent Events stream. Reads carry an ETag; errors are RFC 9457 problem details with a "
					+ "stable type. Lists page with 'limit' and the opaque 'cursor' from the previous page's 'next'.")
			.license(new License().name("Apache-2.0")))
			.components(new Components()
				.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
					.in(SecurityScheme.In.HEADER)
					.name("X-API-Key")
					.description("An API key with scope 'read' (also accepted as 'Authorization: ApiKey <key>')"))
				.addSecuritySchemes(ENTRA_ID,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("JWT")
							.description("A Microsoft Entra ID access token, when the service is configured for it")))
			.addSecurityItem(new SecurityRequirement().addList(API_KEY))
			.addSecurityItem(new SecurityRequirement().addList(ENTRA_ID));
	}

}
