package io.millrace.lakehouse.powerbi;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.transport.CounterFamily;

/**
 * The push's {@code millrace_lakehouse_powerbi_*} metrics. Registered at 0 whether or not
 * the push is on, so that dashboards and {@code increase()} see every series from the
 * start.
 */
final class PowerBiMetrics implements PushListener {

	static final String[] OUTCOMES = { "accepted", "throttled", "server-error", "no-response", "rejected" };

	static final String[] REASONS = { RowPusher.REJECTED, RowPusher.UNDELIVERED, RowPusher.OVER_HOURLY_BUDGET,
			PowerBiPushTask.VALUE_TOO_LONG };

	static final String[] WAIT_CAUSES = { "budget", "retry-after" };

	static final String[] SKIPPED = { "not-final", "undecodable" };

	private final Counter pushed;

	private final CounterFamily requests;

	private final CounterFamily deadLetters;

	private final CounterFamily waits;

	private final CounterFamily waitSeconds;

	private final CounterFamily skips;

	PowerBiMetrics(MeterRegistry registry) {
		this.pushed = Counter.builder("millrace.lakehouse.powerbi.rows.pushed")
			.description("Rows Power BI took (2xx) into the push dataset's table")
			.register(registry);
		this.requests = new CounterFamily(registry, "millrace.lakehouse.powerbi.requests",
				"POST rows requests to Power BI, by outcome", "outcome")
			.registerAtZero(OUTCOMES);
		this.deadLetters = new CounterFamily(registry, "millrace.lakehouse.powerbi.deadlettered",
				"Final aggregates not pushed and sent to the dead-letter topic, by reason", "reason")
			.registerAtZero(REASONS);
		this.waits = new CounterFamily(registry, "millrace.lakehouse.powerbi.throttled.waits",
				"Waits before a request: the push's own per-minute budget, or a 429's Retry-After", "cause")
			.registerAtZero(WAIT_CAUSES);
		this.waitSeconds = new CounterFamily(registry, "millrace.lakehouse.powerbi.throttled.wait",
				"Time spent in those waits", "cause")
			.withBaseUnit("seconds")
			.registerAtZero(WAIT_CAUSES);
		this.skips = new CounterFamily(registry, "millrace.lakehouse.powerbi.records.skipped",
				"Records of the input not pushed: not final, or not an aggregate", "reason")
			.registerAtZero(SKIPPED);
	}

	@Override
	public void request(String outcome) {
		this.requests.of(outcome).increment();
	}

	@Override
	public void pushed(int rows) {
		this.pushed.increment(rows);
	}

	@Override
	public void waited(String cause, Duration wait) {
		this.waits.of(cause).increment();
		this.waitSeconds.of(cause).increment(wait.toNanos() / 1e9);
	}

	@Override
	public void deadLettered(String reason, int rows) {
		this.deadLetters.of(reason).increment(rows);
	}

	@Override
	public void skipped(String reason) {
		this.skips.of(reason).increment();
	}

}
