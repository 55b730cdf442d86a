package io.millrace.alerting.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.catalog.SubscriptionFilters;
import io.millrace.alerting.delivery.ReceiverTrust;
import io.millrace.alerting.delivery.WebhookSender;
import io.millrace.alerting.delivery.payload.PayloadFormat;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.Resolver;
import io.millrace.alerting.delivery.target.TargetPolicy;
import io.millrace.alerting.deliverylog.RedeliveryInbox;
import io.millrace.alerting.lifecycle.SensorTags;
import io.millrace.model.aggregate.WindowAggregate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One slow receiver does not delay another subscription: real HTTP receivers (one that
 * takes 5 s per answer, one that answers at once), the real sender and delivery worker,
 * and the operator ticked as the runtime ticks it.
 */
class SlowReceiverIsolationTests {

	static final int ALERTS = 20;

	final List<HttpServer> servers = new CopyOnWriteArrayList<>();

	final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void stop() {
		this.release.countDown();
		this.servers.forEach((server) -> server.stop(0));
	}

	@Test
	void aHangingReceiverHoldsOneThreadAndEveryOtherSubscriptionIsDeliveredMeanwhile() throws Exception {
		List<String> fast = new CopyOnWriteArrayList<>();
		List<String> slow = new CopyOnWriteArrayList<>();
		URI fastUrl = receiver(fast, false);
		URI slowUrl = receiver(slow, true);
		AlertingOperatorTests.TestCatalog catalog = new AlertingOperatorTests.TestCatalog(
				List.of(AlertingOperatorTests.HOT),
				List.of(subscription("slow", slowUrl), subscription("fast", fastUrl)));
		WebhookSender sender = WebhookSender.withDefaults(
				new DeliveryTargetGuard(new TargetPolicy(true, List.of("127.0.0.1")), Resolver.SYSTEM),
				new WebhookSender.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)), ReceiverTrust.jvmDefault());
		try (DeliveryWorker worker = new DeliveryWorker(sender, 1)) {
			AlertingOperator<WindowAggregate> operator = AlertingOperator.ofAggregates(catalog, SensorTags.none(),
					AlertingOperatorTests.delivery(), worker.channel(() -> {
					}), new RedeliveryInbox(), new AlertingMetrics(new SimpleMeterRegistry(), "aggregates"),
					Clock.systemUTC());
			AlertingOperatorTests.Captured out = new AlertingOperatorTests.Captured();
			for (int sensor = 0; sensor < ALERTS; sensor++) {
				operator.process(
						AlertingOperatorTests.record(AlertingOperatorTests.aggregate("s" + sensor, 0, 95), sensor),
						out);
			}
			long started = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
				operator.onTimer(System.currentTimeMillis(), (partition) -> out);
				return fast.size() == ALERTS;
			});
			long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

			// The slow receiver still holds its first notification; the fast one has them
			// all.
			assertThat(slow).hasSize(1);
			assertThat(fast).doesNotHaveDuplicates().hasSize(ALERTS);
			assertThat(tookMillis).as("all fast deliveries, while the slow receiver hangs").isLessThan(5000);
			// Let the hanging answer go before the worker is closed, which waits for it.
			this.release.countDown();
		}
	}

	private URI receiver(List<String> received, boolean hang) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/hooks", (exchange) -> {
			try (exchange; InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
				received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
				if (hang) {
					this.release.await(30, TimeUnit.SECONDS);
				}
				exchange.sendResponseHeaders(204, -1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		server.setExecutor(Executors.newCachedThreadPool());
		server.start();
		this.servers.add(server);
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
	}

	private static Subscription subscription(String id, URI url) {
		return Subscription.of(id, url, PayloadFormat.MILLRACE_JSON, WebhookSecret.generate(), Map.of(),
				SubscriptionFilters.none());
	}

}
