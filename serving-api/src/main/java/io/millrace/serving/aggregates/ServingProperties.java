package io.millrace.serving.aggregates;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What serving-api keeps in memory and how it answers. Every property is documented in
 * docs/configuration.md.
 *
 * @param retention how much event time is kept, counted back from the newest window end
 * seen (never later than the wall clock); a sensor silent for longer is forgotten
 * @param maxWindows most windows held at once; past it the oldest are evicted
 * @param sweepInterval how often windows past the retention are removed
 * @param rebuild how the store knows it has read the topic when it starts
 * @param api paging of the query API
 * @param cors which browser origins may call the API
 * @param live the Server-Sent Events stream
 * @param alerts what is kept of the {@code alerts} topic
 * @param registry the sensor registry's writes
 */
@Validated
@ConfigurationProperties("millrace.serving")
public record ServingProperties(@NotNull @DefaultValue("24h") Duration retention,
		@Min(1) @DefaultValue("1000000") long maxWindows, @NotNull @DefaultValue("10s") Duration sweepInterval,
		@Valid @NotNull @DefaultValue Rebuild rebuild, @Valid @NotNull @DefaultValue Api api,
		@Valid @NotNull @DefaultValue Cors cors, @Valid @NotNull @DefaultValue Live live,
		@Valid @NotNull @DefaultValue Alerts alerts, @Valid @NotNull @DefaultValue Registry registry) {

	/**
	 * @param mode {@code end-offsets}: ready once every partition of
	 * {@code telemetry-aggregates} was read up to where it ended at start (Kafka binder);
	 * {@code quiet-period}: ready once no record arrived for {@code quiet-period} (other
	 * binders, which do not report positions)
	 * @param quietPeriod see {@code mode}
	 */
	public record Rebuild(@NotNull @DefaultValue("end-offsets") RebuildMode mode,
			@NotNull @DefaultValue("3s") Duration quietPeriod) {

	}

	/** How the store decides the rebuild from the topic is done. */
	public enum RebuildMode {

		/** Up to the end offsets at start. */
		END_OFFSETS,

		/** Once the input was quiet for a while. */
		QUIET_PERIOD

	}

	/**
	 * @param defaultLimit items per page when {@code limit} is not given
	 * @param maxLimit the largest {@code limit} accepted
	 */
	public record Api(@Min(1) @DefaultValue("100") int defaultLimit,
			@Min(1) @Max(100000) @DefaultValue("1000") int maxLimit) {

	}

	/**
	 * @param allowedOrigins origins allowed to call {@code /api/v1/**} from a browser
	 * (none by default; {@code *} for any)
	 * @param maxAge how long a browser may cache a preflight answer
	 */
	public record Cors(@NotNull @DefaultValue List<String> allowedOrigins,
			@NotNull @DefaultValue("30m") Duration maxAge) {

	}

	/**
	 * @param heartbeat how often an idle stream gets a comment line (keeps proxies from
	 * closing it and finds clients that left)
	 * @param maxClients most streams open at once; more get 503
	 * @param dispatchThreads threads writing events to the streams
	 * @param timeout how long one stream lasts before the client must reconnect (with
	 * {@code Last-Event-ID}, losing nothing); 0 for never
	 * @param ticketValidity how long a ticket from {@code POST /api/v1/stream/tickets}
	 * may be redeemed
	 * @param maxTickets most tickets issued and not redeemed at once; more get 503
	 */
	public record Live(@NotNull @DefaultValue("15s") Duration heartbeat, @Min(1) @DefaultValue("1000") int maxClients,
			@Min(1) @DefaultValue("4") int dispatchThreads, @NotNull @DefaultValue("30m") Duration timeout,
			@NotNull @DefaultValue("60s") Duration ticketValidity, @Min(1) @DefaultValue("10000") int maxTickets) {

	}

	/**
	 * @param retention how long a resolved alert stays listed and a state change stays in
	 * the recent list (and can be resumed by the live stream), counted from when it
	 * changed; firing alerts stay while they fire
	 * @param maxAlerts most alerts held, and most state changes in the recent list; the
	 * oldest go first
	 */
	public record Alerts(@NotNull @DefaultValue("24h") Duration retention,
			@Min(1) @DefaultValue("10000") int maxAlerts) {

	}

	/**
	 * @param writeTimeout how long a write waits to read itself back from
	 * {@code sensor-metadata} before answering 202 instead
	 * @param maxImportRows most sensors in one import
	 */
	public record Registry(@NotNull @DefaultValue("10s") Duration writeTimeout,
			@Min(1) @DefaultValue("10000") int maxImportRows) {

	}

}
