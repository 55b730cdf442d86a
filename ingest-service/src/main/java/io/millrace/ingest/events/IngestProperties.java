package io.millrace.ingest.events;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and behaviour of {@code POST /api/v1/events}.
 *
 * @param maxEventsPerRequest largest batch accepted in one request; larger ones get 413
 * @param retryAfter what a 503 tells clients to wait before retrying
 * @param maxBytesPerRequest largest request body accepted, after decompression; larger
 * ones get 413
 */
@Validated
@ConfigurationProperties("millrace.ingest")
public record IngestProperties(@Min(1) @DefaultValue("1000") int maxEventsPerRequest,
		@NotNull @DefaultValue("5s") Duration retryAfter, @NotNull @DefaultValue("5MB") DataSize maxBytesPerRequest) {

}
