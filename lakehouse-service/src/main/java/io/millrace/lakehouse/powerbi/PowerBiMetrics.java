package io.millrace.lakehouse.powerbi;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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

	private final MeterRegistry registry;

	private final Counter pushed;

	PowerBiMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.pushed = Counter.builder("millrace.lakehouse.powerbi.rows.pushed")
			.description("Rows Power BI took (2xx) into the push dataset's table")
			.register(registry);
		for (String outcome : OUTCOMES) {
			requests(outcome);
		}
		for (String reason : REASONS) {
			deadLetters(reason);
		}
		for (String cause : WAIT_CAUSES) {
			waits(cause);
			waitSeconds(cause);
		}
		for (String reason : SKIPPED) {
			skips(reason);
		}
	}

	private Counter requests(String outcome) {
		return Counter.builder("millrace.lakehouse.powerbi.requests")
			.description("POST rows requests to Power BI, by outcome")
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private Counter deadLetters(String reason) {
		return Counter.builder("millrace.lakehouse.powerbi.deadlettered")
			.description("Final aggregates not pushed and sent to the dead-letter topic, by reason")
			.tag("reason", reason)
			.register(this.registry);
	}

	private Counter waits(String cause) {
		return Counter.builder("millrace.lakehouse.powerbi.throttled.waits")
			.description("Waits before a request: the push's own per-minute budget, or a 429's Retry-After")
			.tag("cause", cause)
			.register(this.registry);
	}

	private Counter waitSeconds(String cause) {
		return Counter.builder("millrace.lakehouse.powerbi.throttled.wait")
			.description("Time spent in those waits")
			.baseUnit("seconds")
			.tag("cause", cause)
			.register(this.registry);
	}

	private Counter skips(String reason) {
		return Counter.builder("millrace.lakehouse.powerbi.records.skipped")
			.description("Records of the input not pushed: not final, or not an aggregate")
			.tag("reason", reason)
			.register(this.registry);
	}

	@Override
	public void request(String outcome) {
		requests(outcome).increment();
	}

	@Override
	public void pushed(int rows) {
		this.pushed.increment(rows);
	}

	@Override
	public void waited(String cause, Duration wait) {
		waits(cause).increment();
		waitSeconds(cause).increment(wait.toNanos() / 1e9);
	}

	@Override
	public void deadLettered(String reason, int rows) {
		deadLetters(reason).increment(rows);
	}

	@Override
	public void skipped(String reason) {
		skips(reason).increment();
	}

}
