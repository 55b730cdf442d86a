package io.millrace.lakehouse.powerbi;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code millrace.lakehouse.powerbi.*}: the optional push of final window aggregates to a
 * Power BI push dataset (docs/lakehouse.md#power-bi-push). The limits default to Power
 * BI's documented ones for push datasets.
 *
 * @param enabled whether the push runs (off by default)
 * @param apiBase the Power BI REST API's base address
 * @param workspaceId the workspace (group) holding the dataset; empty for "My workspace"
 * (a service principal needs a workspace)
 * @param datasetId the push dataset's id
 * @param table the dataset's table the rows go to
 * @param scope the Entra ID scope of the token
 * @param accessToken a fixed bearer token instead of Entra ID (tests, local receivers)
 * @param maxRowsPerRequest rows per POST (Power BI: at most 10,000)
 * @param requestsPerMinute POST rows requests per minute (Power BI: 120 per dataset)
 * @param rowsPerHour rows per hour (Power BI: 1,000,000 per dataset); rows over it are
 * dead-lettered
 * @param maxAttempts attempts of one request (429 and 5xx are tried again)
 * @param maxRetryWait the longest wait before another attempt; a {@code Retry-After}
 * longer than this dead-letters the rows instead of holding the input
 * @param requestTimeout how long one request may take
 * @param deliveryTimeout how long dead letters may take to be acknowledged
 */
@Validated
@ConfigurationProperties("millrace.lakehouse.powerbi")
public record PowerBiProperties(@DefaultValue("false") boolean enabled,
		@NotNull @DefaultValue("https://api.powerbi.com") URI apiBase, @DefaultValue("") String workspaceId,
		@DefaultValue("") String datasetId, @NotBlank @DefaultValue("window_aggregates") String table,
		@NotBlank @DefaultValue("https://analysis.windows.net/powerbi/api/.default") String scope,
		@DefaultValue("") String accessToken, @Min(1) @Max(10_000) @DefaultValue("10000") int maxRowsPerRequest,
		@Min(1) @DefaultValue("120") int requestsPerMinute, @Min(1) @DefaultValue("1000000") long rowsPerHour,
		@Min(1) @DefaultValue("6") int maxAttempts, @NotNull @DefaultValue("60s") Duration maxRetryWait,
		@NotNull @DefaultValue("30s") Duration requestTimeout, @NotNull @DefaultValue("30s") Duration deliveryTimeout) {

	/**
	 * @return the rows endpoint of the configured dataset and table
	 */
	public URI rowsUri() {
		String base = this.apiBase.toString().replaceAll("/+$", "");
		String workspace = this.workspaceId.isBlank() ? "" : "/groups/" + this.workspaceId;
		return URI.create(base + "/v1.0/myorg" + workspace + "/datasets/" + this.datasetId + "/tables/"
				+ URLEncoder.encode(this.table, StandardCharsets.UTF_8).replace("+", "%20") + "/rows");
	}

}
