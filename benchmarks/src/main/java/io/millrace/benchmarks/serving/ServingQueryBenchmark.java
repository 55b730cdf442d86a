package io.millrace.benchmarks.serving;

import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.millrace.benchmarks.Stats;
import io.millrace.benchmarks.ingest.KeepAliveConnection;
import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalHttp;
import io.millrace.local.LocalSettings;
import io.millrace.local.ServiceProcess;
import io.millrace.model.security.ApiKeyHashes;

/**
 * serving-api's series and top-N queries under a keep-alive load against PostgreSQL
 * answering the same queries on the same data through JDBC, in the same run (issue 14,
 * "Performance").
 * <p>
 * An in-process KRaft broker; {@code sensors × minutes} final 1-minute windows
 * ({@link WindowData}) published to {@code telemetry-aggregates} with a plain producer;
 * then, at the same time, serving-api started as its exec jar in its own JVM (ready once
 * its store is rebuilt from the topic) and the same windows COPYed into a throwaway
 * PostgreSQL ({@link PostgresPeer}). Before any figure, a sample of queries is asked of
 * both and the answers must be equal. Then rounds alternate: serving-api, then the peer,
 * each warmed up and then driven by {@code connections} threads in a closed loop (each
 * sends its next query when the previous answer is read) with the same fixed mix of
 * queries ({@link Query}: {@code top%} top-N, the rest series), from the same seeds.
 * serving-api gets keep-alive HTTP/1.1 connections ({@link KeepAliveConnection}, the body
 * read and dropped); the peer a HikariCP pool of as many connections (every column of
 * every row read).
 * <p>
 * From the worktree root, after building serving-api's jar and the benchmarks:
 * {@code java -cp benchmarks/target/benchmarks.jar io.millrace.benchmarks.serving.ServingQueryBenchmark
 * [sensors] [minutes] [connections] [seconds] [rounds] [top%,top%,...]} (default mixes
 * 0,100,5: series only, top-N only, 5% top-N)
 */
public final class ServingQueryBenchmark {

	static final double TARGET_P99_MS = 10;

	static final double TARGET_RATE = 10_000;

	private static final ObjectMapper JSON = new ObjectMapper();

	private ServingQueryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int sensors = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		int minutes = (args.length > 1) ? Integer.parseInt(args[1]) : 1440;
		int connections = (args.length > 2) ? Integer.parseInt(args[2]) : 8;
		int seconds = (args.length > 3) ? Integer.parseInt(args[3]) : 30;
		int rounds = (args.length > 4) ? Integer.parseInt(args[4]) : 2;
		int[] mixes = java.util.Arrays.stream(((args.length > 5) ? args[5] : "0,100,5").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		int warmup = Integer.getInteger("millrace.bench.warmup", 15);
		WindowData data = new WindowData(sensors, minutes, Instant.now().truncatedTo(ChronoUnit.MINUTES));
		System.out.printf(
				"%,d sensors x %,d minutes = %,d windows; %d connections, %d s per phase (+%d s warm-up), "
						+ "%d rounds of each mix (%% top-N): %s%n",
				sensors, minutes, data.windows(), connections, seconds, warmup, rounds,
				java.util.Arrays.toString(mixes));
		String apiKey = ApiKeyHashes.generate();
		try (KafkaKraftBroker broker = KafkaKraftBroker.startTemporary(LocalSettings.load().topicPartitions());
				PostgresPeer peer = PostgresPeer.start()) {
			double rate = ServingBench.publish(broker.bootstrapServers(), data);
			System.out.printf("published at %,.0f windows/s%n", rate);
			CompletableFuture<Double> peerLoad = CompletableFuture.supplyAsync(() -> {
				try {
					return peer.load(data);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			long launched = System.nanoTime();
			Map<String, String> properties = ServingBench.servingProperties(broker.bootstrapServers(), apiKey,
					data.windows() + data.windows() / 20 + 1000);
			try (ServiceProcess serving = ServingBench.launchServing(properties, "-Xmx6g", Duration.ofMinutes(60))) {
				double rebuild = (System.nanoTime() - launched) / 1e9;
				double windows = ServingBench.metric(serving, "millrace_serving_windows", null);
				System.out.printf("serving-api ready after %.0f s holding %,.0f windows%n", rebuild, windows);
				double loadSeconds = peerLoad.join();
				long[] pgSizes = peer.sizes();
				System.out.printf("PostgreSQL loaded (COPY, indexes, VACUUM ANALYZE) in %.0f s (concurrently): "
						+ "table %,d MB, indexes %,d MB%n", loadSeconds, pgSizes[0] >> 20, pgSizes[1] >> 20);
				double heap = ServingBench.heapAfterGc(serving);
				System.out.printf("serving-api heap after a full GC: %,.0f MB (%.0f bytes per window)%n", heap / 1e6,
						heap / data.windows());
				if (windows != data.windows()) {
					System.out.printf("CHECK FAILED: serving-api holds %,.0f windows, %,d were published%n", windows,
							data.windows());
					System.exit(1);
				}
				try (HikariDataSource pool = peer.pool(connections)) {
					check(serving, apiKey, pool, data);
					for (int topPercent : mixes) {
						System.out.printf("%n== mix: %d%% top-N, %d%% series ==%n", topPercent, 100 - topPercent);
						List<Map<String, double[]>> results = new ArrayList<>();
						for (int round = 1; round <= rounds; round++) {
							long cpu = serving.cpuTime().toNanos();
							Map<String, long[][]> servingRun = drive(warmup, seconds, connections, round, data,
									topPercent, () -> {
										KeepAliveConnection connection = new KeepAliveConnection(
												URI.create(serving.apiUrl() + "/"), apiKey, "application/json");
										return (query) -> {
											int status = connection.get(query.path());
											if (status != 200) {
												throw new IllegalStateException(
														"HTTP " + status + " for " + query.path());
											}
										};
									});
							double servingCpu = (serving.cpuTime().toNanos() - cpu) / 1e9 / (warmup + seconds);
							Map<String, long[][]> peerRun = drive(warmup, seconds, connections, round, data, topPercent,
									() -> (query) -> {
										try (Connection connection = pool.getConnection()) {
											query.run(connection);
										}
									});
							Map<String, double[]> figures = new LinkedHashMap<>();
							print(round, "serving-api", servingRun, seconds, figures);
							System.out.printf(Locale.ROOT, "  serving-api CPU during its phase: %.2f cores%n",
									servingCpu);
							print(round, "PostgreSQL", peerRun, seconds, figures);
							results.add(figures);
						}
						summary(results, topPercent);
					}
				}
			}
		}
	}

	/**
	 * Ask both a sample of queries (half top-N) and compare the answers.
	 */
	private static void check(ServiceProcess serving, String apiKey, HikariDataSource pool, WindowData data)
			throws Exception {
		SplittableRandom random = new SplittableRandom(42);
		int rows = 0;
		for (int i = 0; i < 200; i++) {
			Query query = Query.next(random, data, 50);
			var response = LocalHttp.get(serving.apiUrl() + query.path(), Map.of("X-API-Key", apiKey));
			if (response.statusCode() != 200) {
				throw new IllegalStateException("CHECK FAILED: HTTP " + response.statusCode() + " for " + query.path()
						+ ": " + response.body());
			}
			List<String> fromServing = query.fromJson(JSON.readTree(response.body()));
			List<String> fromPeer;
			try (Connection connection = pool.getConnection()) {
				fromPeer = query.run(connection);
			}
			if (!fromServing.equals(fromPeer) || fromPeer.isEmpty()) {
				System.out.println("CHECK FAILED for " + query.path() + "\n serving-api: " + fromServing
						+ "\n PostgreSQL:  " + fromPeer);
				System.exit(1);
			}
			rows += fromPeer.size();
		}
		System.out.printf("check: 200 queries (half top-N), %,d rows, the same answers from both%n", rows);
	}

	/** What one load thread does with a query (throws on a wrong status or an error). */
	interface Client {

		void ask(Query query) throws Exception;

	}

	interface ClientFactory {

		Client open() throws Exception;

	}

	/**
	 * Warm up, then drive {@code connections} threads for {@code seconds}.
	 * @return by query kind, the latencies (ns) of each thread
	 */
	private static Map<String, long[][]> drive(int warmup, int seconds, int connections, int round, WindowData data,
			int topPercent, ClientFactory factory) throws Exception {
		AtomicLong errors = new AtomicLong();
		long start = System.nanoTime();
		long measureFrom = start + Duration.ofSeconds(warmup).toNanos();
		long measureUntil = measureFrom + Duration.ofSeconds(seconds).toNanos();
		List<Thread> threads = new ArrayList<>();
		List<ServingBench.Samples> series = new ArrayList<>();
		List<ServingBench.Samples> top = new ArrayList<>();
		for (int t = 0; t < connections; t++) {
			Client client = factory.open();
			ServingBench.Samples seriesSamples = new ServingBench.Samples();
			ServingBench.Samples topSamples = new ServingBench.Samples();
			series.add(seriesSamples);
			top.add(topSamples);
			SplittableRandom random = new SplittableRandom(round * 1000L + t);
			Thread thread = new Thread(() -> {
				long now;
				while ((now = System.nanoTime()) < measureUntil) {
					Query query = Query.next(random, data, topPercent);
					try {
						client.ask(query);
					}
					catch (Exception ex) {
						if (errors.incrementAndGet() <= 3) {
							System.out.println("  error: " + ex);
						}
						continue;
					}
					long took = System.nanoTime() - now;
					if (now >= measureFrom && now + took <= measureUntil) {
						(query.top() ? topSamples : seriesSamples).accept(took);
					}
				}
			}, "load-" + t);
			threads.add(thread);
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		if (errors.get() > 0) {
			System.out.printf("  %,d errors%n", errors.get());
		}
		Map<String, long[][]> result = new LinkedHashMap<>();
		result.put("series", new long[][] { ServingBench.Samples.concat(series) });
		result.put("top", new long[][] { ServingBench.Samples.concat(top) });
		return result;
	}

	private static void print(int round, String who, Map<String, long[][]> run, int seconds,
			Map<String, double[]> figures) {
		long[] series = run.get("series")[0];
		long[] top = run.get("top")[0];
		long[] all = new long[series.length + top.length];
		System.arraycopy(series, 0, all, 0, series.length);
		System.arraycopy(top, 0, all, series.length, top.length);
		System.out.printf("round %d, %s:%n", round, who);
		for (var kind : new Object[][] { { "all", all }, { "series", series }, { "top", top } }) {
			long[] samples = (long[]) kind[1];
			double[] figure = { samples.length / (double) seconds, ServingBench.p(samples, 50),
					ServingBench.p(samples, 99), ServingBench.p(samples, 99.9) };
			figures.put(who + " " + kind[0], figure);
			System.out.printf(Locale.ROOT, "  %-7s %,9.0f req/s  p50 %8.2f ms  p99 %8.2f ms  p99.9 %8.2f ms%n", kind[0],
					figure[0], figure[1], figure[2], figure[3]);
		}
	}

	private static void summary(List<Map<String, double[]>> rounds, int topPercent) {
		System.out.printf("%nmix %d%% top-N, medians of %d rounds:%n", topPercent, rounds.size());
		System.out.printf("%-22s %10s %10s %10s %10s%n", "", "req/s", "p50 ms", "p99 ms", "p99.9 ms");
		Map<String, double[]> medians = new LinkedHashMap<>();
		for (String key : rounds.get(0).keySet()) {
			double[] median = new double[4];
			for (int i = 0; i < 4; i++) {
				int index = i;
				median[i] = Stats.median(rounds.stream().map((r) -> r.get(key)[index]).toList());
			}
			medians.put(key, median);
			System.out.printf(Locale.ROOT, "%-22s %,10.0f %10.2f %10.2f %10.2f%n", key, median[0], median[1], median[2],
					median[3]);
		}
		for (String kind : List.of("all", "series", "top")) {
			double[] s = medians.get("serving-api " + kind);
			double[] p = medians.get("PostgreSQL " + kind);
			if (s[0] == 0 || p[0] == 0) {
				continue;
			}
			System.out.printf(Locale.ROOT,
					"ratio serving-api / PostgreSQL, %-6s: throughput %.2fx, p50 %.2fx, p99 %.2fx%n", kind, s[0] / p[0],
					s[1] / p[1], s[2] / p[2]);
		}
		double[] all = medians.get("serving-api all");
		System.out.printf(Locale.ROOT,
				"VERDICT (mix %d%% top-N): serving-api %.0f req/s at p99 %.2f ms vs target >= %.0f req/s at p99 <= %.0f "
						+ "ms: %s%n",
				topPercent, all[0], all[2], TARGET_RATE, TARGET_P99_MS,
				(all[0] >= TARGET_RATE && all[2] <= TARGET_P99_MS) ? "MET" : "NOT MET");
	}

}
