package io.millrace.lakehouse.powerbi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes rows to one dataset table within Power BI's limits: requests of at most
 * {@code maxRowsPerRequest} rows, one at a time (Power BI allows five pending per
 * dataset; one keeps the order), paced by the {@link PushBudget}; a 429 is tried again
 * after its {@code Retry-After}, a 5xx or no answer after a doubling back-off, any other
 * status never. Whatever is not delivered is handed back with the reason, to be
 * dead-lettered.
 */
final class RowPusher {

	/** Rows refused by Power BI with a 4xx other than 429 (the detail says which). */
	static final String REJECTED = "powerbi-rejected";

	/** Every attempt throttled or failed, or a Retry-After longer than allowed. */
	static final String UNDELIVERED = "powerbi-undelivered";

	/** Over the configured rows-per-hour budget. */
	static final String OVER_HOURLY_BUDGET = "powerbi-hourly-budget";

	private static final Logger logger = LoggerFactory.getLogger(RowPusher.class);

	private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

	/** Without a Retry-After, a 429 waits this long. */
	private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

	private final RowsEndpoint endpoint;

	private final PushBudget budget;

	private final int maxRowsPerRequest;

	private final int maxAttempts;

	private final Duration maxRetryWait;

	private final Sleeper sleeper;

	private final PushListener listener;

	RowPusher(RowsEndpoint endpoint, PushBudget budget, int maxRowsPerRequest, int maxAttempts, Duration maxRetryWait,
			Sleeper sleeper, PushListener listener) {
		this.endpoint = endpoint;
		this.budget = budget;
		this.maxRowsPerRequest = maxRowsPerRequest;
		this.maxAttempts = maxAttempts;
		this.maxRetryWait = maxRetryWait;
		this.sleeper = sleeper;
		this.listener = listener;
	}

	/**
	 * Push rows in order.
	 * @param <R> what each row came from
	 * @param rows the rows
	 * @return what was not delivered, with why
	 * @throws InterruptedException when stopped while waiting
	 */
	<R> List<Undelivered<R>> push(List<Row<R>> rows) throws InterruptedException {
		List<Undelivered<R>> undelivered = new ArrayList<>();
		for (int from = 0; from < rows.size(); from += this.maxRowsPerRequest) {
			List<Row<R>> chunk = rows.subList(from, Math.min(rows.size(), from + this.maxRowsPerRequest));
			long left = this.budget.rowsLeft();
			if (left < chunk.size()) {
				List<Row<R>> over = chunk.subList((int) left, chunk.size());
				undelivered.add(new Undelivered<>(over, OVER_HOURLY_BUDGET, "the rows-per-hour budget ("
						+ "millrace.lakehouse.powerbi.rows-per-hour) is spent; Power BI would refuse them"));
				chunk = chunk.subList(0, (int) left);
			}
			if (!chunk.isEmpty()) {
				Undelivered<R> failed = pushChunk(chunk);
				if (failed != null) {
					undelivered.add(failed);
				}
			}
		}
		for (Undelivered<R> failed : undelivered) {
			this.listener.deadLettered(failed.reason(), failed.rows().size());
		}
		return undelivered;
	}

	private <R> Undelivered<R> pushChunk(List<Row<R>> chunk) throws InterruptedException {
		List<Map<String, Object>> body = new ArrayList<>(chunk.size());
		chunk.forEach((row) -> body.add(row.values()));
		Duration backoff = FIRST_BACKOFF;
		PushResponse response = null;
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			Duration wait = this.budget.waitForRequest();
			if (!wait.isZero()) {
				this.listener.waited("budget", wait);
				this.sleeper.sleep(wait);
			}
			response = this.endpoint.post(body);
			this.budget.sent(response.accepted() ? chunk.size() : 0);
			this.listener.request(outcome(response));
			if (response.accepted()) {
				this.listener.pushed(chunk.size());
				return null;
			}
			if (!response.retryable()) {
				logger.warn("Power BI refused {} rows with HTTP {}: {}", chunk.size(), response.status(),
						response.detail());
				return new Undelivered<>(chunk, REJECTED, "HTTP " + response.status() + ": " + response.detail());
			}
			if (attempt == this.maxAttempts) {
				break;
			}
			Duration pause;
			if (response.status() == 429) {
				pause = (response.retryAfter() != null) ? response.retryAfter() : DEFAULT_RETRY_AFTER;
				if (pause.compareTo(this.maxRetryWait) > 0) {
					return new Undelivered<>(chunk, UNDELIVERED, "HTTP 429 with Retry-After " + pause.toSeconds()
							+ " s, longer than millrace.lakehouse.powerbi.max-retry-wait: " + response.detail());
				}
				this.listener.waited("retry-after", pause);
			}
			else {
				pause = (backoff.compareTo(this.maxRetryWait) < 0) ? backoff : this.maxRetryWait;
				backoff = backoff.multipliedBy(2);
			}
			logger.info("Power BI answered {} to {} rows (attempt {} of {}); trying again in {} ms",
					(response.status() == 0) ? "nothing" : "HTTP " + response.status(), chunk.size(), attempt,
					this.maxAttempts, pause.toMillis());
			this.sleeper.sleep(pause);
		}
		logger.warn("Power BI did not take {} rows in {} attempts; last: HTTP {} {}", chunk.size(), this.maxAttempts,
				response.status(), response.detail());
		return new Undelivered<>(chunk, UNDELIVERED, this.maxAttempts + " attempts, the last answered "
				+ ((response.status() == 0) ? "nothing" : "HTTP " + response.status()) + ": " + response.detail());
	}

	private static String outcome(PushResponse response) {
		if (response.accepted()) {
			return "accepted";
		}
		if (response.status() == 429) {
			return "throttled";
		}
		if (response.status() == 0) {
			return "no-response";
		}
		return (response.status() >= 500) ? "server-error" : "rejected";
	}

	/**
	 * One row and where it came from.
	 *
	 * @param <R> the source
	 * @param source where it came from (to dead-letter it)
	 * @param values column name to value
	 */
	record Row<R>(R source, Map<String, Object> values) {
	}

	/**
	 * Rows not delivered.
	 *
	 * @param <R> the source
	 * @param rows the rows
	 * @param reason the dead-letter reason
	 * @param detail what happened
	 */
	record Undelivered<R>(List<Row<R>> rows, String reason, String detail) {
	}

	/** Waits; tests may wait on another clock. */
	@FunctionalInterface
	interface Sleeper {

		void sleep(Duration duration) throws InterruptedException;

	}

}
