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
 * @param maxInFlightBytes request bytes one instance holds at once (announced lengths
 * until read, then actual sizes, until the broker answered); past it requests get 429; at
 * least {@code maxBytesPerRequest}
 * @param publishTimeout how long a request waits for the broker to acknowledge its events
 * before the client gets a 503 (keep it above the producer's {@code delivery.timeout.ms},
 * so an event the producer still retries is not answered early)
 */
@Validated
@ConfigurationProperties("millrace.ingest")
public record IngestProperties(@Min(1) @DefaultValue("1000") int maxEventsPerRequest,
		@NotNull @DefaultValue("5s") Duration retryAfter, @NotNull @DefaultValue("5MB") DataSize maxBytesPerRequest,
		@NotNull @DefaultValue("64MB") DataSize maxInFlightBytes,
		@NotNull @DefaultValue("10s") Duration publishTimeout) {

	public IngestProperties {
		if (maxInFlightBytes != null && maxBytesPerRequest != null
				&& maxInFlightBytes.toBytes() < maxBytesPerRequest.toBytes()) {
			throw new IllegalArgumentException("millrace.ingest.max-in-flight-bytes (" + maxInFlightBytes
					+ ") must be at least millrace.ingest.max-bytes-per-request (" + maxBytesPerRequest + ")");
		}
	}

}
