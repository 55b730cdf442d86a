package io.millrace.benchmarks.alerting;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.millrace.benchmarks.SensorEvents;
import io.millrace.benchmarks.ingest.KeepAliveConnection;

/**
 * Background load on ingest: batches of 500 readings (10,000 sensors, temperature 20–80,
 * never breaching the benchmark's rules, current timestamps) posted on a fixed schedule
 * (open loop) over keep-alive connections, {@code eventsPerSecond} in all.
 */
final class BackgroundLoad implements AutoCloseable {

	static final int BATCH = 500;

	private final List<Thread> threads = new ArrayList<>();

	private final AtomicLong accepted = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong late = new AtomicLong();

	private volatile boolean running = true;

	BackgroundLoad(URI url, String apiKey, int eventsPerSecond, int connections) {
		double requestsPerSecond = (double) eventsPerSecond / BATCH;
		long interval = (long) (1e9 * connections / requestsPerSecond);
		long start = System.nanoTime() + 100_000_000L;
		for (int c = 0; c < connections; c++) {
			long offset = c * interval / connections;
			int seed = c;
			Thread thread = new Thread(() -> {
				Random random = new Random(seed);
				KeepAliveConnection connection = new KeepAliveConnection(url, apiKey, "application/json");
				long next = start + offset;
				while (this.running) {
					AlertingBench.sleepUntil(next);
					// More than an interval behind (a stall): skip the missed slots
					// rather
					// than burst to catch up, so the offered rate never exceeds the
					// target.
					while (System.nanoTime() - next > interval) {
						this.late.incrementAndGet();
						next += interval;
					}
					int status = connection.post(body(random));
					if (status == 202) {
						this.accepted.addAndGet(BATCH);
					}
					else {
						this.errors.incrementAndGet();
					}
					next += interval;
				}
				connection.close();
			}, "background-" + c);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
	}

	private static byte[] body(Random random) {
		String now = Instant.now().toString();
		StringBuilder body = new StringBuilder(BATCH * 110).append('[');
		for (int i = 0; i < BATCH; i++) {
			SensorEvents.append(body.append((i > 0) ? "," : ""), random, now);
		}
		return body.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Events answered 202 so far. */
	long accepted() {
		return this.accepted.get();
	}

	/** Requests not answered 202 so far. */
	long errors() {
		return this.errors.get();
	}

	/** Request slots skipped because the sender was more than an interval behind. */
	long late() {
		return this.late.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(10_000);
		}
	}

}
