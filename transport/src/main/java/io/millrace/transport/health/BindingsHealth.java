package io.millrace.transport.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.DirectFieldAccessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Health component {@code bindings}, in every service's readiness group: DOWN while a
 * binding does not run — a consumer stopped or paused (through
 * {@code /actuator/bindings}, for example), or whose Kafka listener container has stopped
 * under it (its consumer thread died), or a producer stopped — naming each such binding
 * and why. The gauge {@code millrace_binding_running{binding,direction}} says the same (1
 * running, 0 not), and a WARN line names a binding when it stops running (INFO when it
 * runs again): the bindings are looked at every interval on a thread of their own.
 * <p>
 * The Kafka binder's binding runs as long as its channel adapter runs, even when the
 * listener container under it has stopped; the container is looked at too, which is why
 * this lives in the transport module.
 */
public final class BindingsHealth implements HealthIndicator, AutoCloseable {

	static final String METRIC = "millrace.binding.running";

	private static final Logger logger = LoggerFactory.getLogger(BindingsHealth.class);

	private final Supplier<List<Binding<?>>> bindings;

	private final MeterRegistry registry;

	private final Map<String, Binding<?>> known = new ConcurrentHashMap<>();

	private final Map<String, String> lastProblem = new ConcurrentHashMap<>();

	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService checker;

	/**
	 * @param bindings every binding of the service, input and output
	 * @param registry where the gauge goes
	 * @param interval how often the bindings are looked at (gauges of new bindings, log
	 * lines); {@code null} to look only when {@link #check} is called
	 */
	public BindingsHealth(Supplier<List<Binding<?>>> bindings, MeterRegistry registry, Duration interval) {
		this.bindings = bindings;
		this.registry = registry;
		if (interval != null) {
			this.checker = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "health-bindings");
				thread.setDaemon(true);
				return thread;
			});
			this.checker.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		else {
			this.checker = null;
		}
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		for (Binding<?> binding : this.bindings.get()) {
			BindingStatus status = statusOf(binding);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("direction", status.direction());
			details.put("state", status.state());
			if (status.problem() != null) {
				health.down();
				details.put("reason", status.problem());
			}
			health.withDetail(status.name(), details);
		}
		return health.build();
	}

	/**
	 * Looks at every binding: registers the gauge of a new one, and logs a binding that
	 * stopped running (WARN) or runs again (INFO).
	 */
	public void check() {
		for (Binding<?> binding : this.bindings.get()) {
			BindingStatus status = statusOf(binding);
			this.known.put(status.name(), binding);
			if (this.gauged.add(status.name())) {
				Gauge.builder(METRIC, () -> {
					Binding<?> current = this.known.get(status.name());
					return (current != null && statusOf(current).problem() == null) ? 1 : 0;
				})
					.description("1 while the binding runs (a consumer consumes, a producer can send), "
							+ "0 while it is stopped or paused or its listener container has stopped")
					.tag("binding", status.name())
					.tag("direction", status.direction())
					.register(this.registry);
			}
			String before = this.lastProblem.get(status.name());
			if (status.problem() != null && !status.problem().equals(before)) {
				this.lastProblem.put(status.name(), status.problem());
				logger.warn("Binding {} ({}) is not running: {}; readiness is DOWN until it runs again", status.name(),
						status.direction(), status.problem());
			}
			else if (status.problem() == null && before != null) {
				this.lastProblem.remove(status.name());
				logger.info("Binding {} ({}) runs again", status.name(), status.direction());
			}
		}
	}

	private void checkQuietly() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not look at the bindings", ex);
		}
	}

	/**
	 * @param binding a binding
	 * @return whether it runs, and if not why
	 */
	static BindingStatus statusOf(Binding<?> binding) {
		String name = binding.getBindingName();
		String direction = binding.isInput() ? "input" : "output";
		if (!binding.isRunning()) {
			return new BindingStatus(name, direction, "stopped", "the binding is stopped");
		}
		if (binding.isPaused()) {
			return new BindingStatus(name, direction, "paused", "the binding is paused");
		}
		MessageListenerContainer container = kafkaContainerOf(binding);
		if (container != null) {
			if (!container.isRunning() || !container.isInExpectedState()) {
				return new BindingStatus(name, direction, "container-stopped",
						"its Kafka listener container has stopped (a consumer thread ended: see the log before this line)");
			}
			if (container.isPauseRequested()) {
				return new BindingStatus(name, direction, "paused", "its Kafka listener container is paused");
			}
		}
		return new BindingStatus(name, direction, "running", null);
	}

	/**
	 * @param binding a binding
	 * @return the Kafka listener container under a Kafka consumer binding, {@code null}
	 * for another binding
	 */
	static MessageListenerContainer kafkaContainerOf(Binding<?> binding) {
		try {
			Object lifecycle = new DirectFieldAccessor(binding).getPropertyValue("lifecycle");
			if (lifecycle instanceof KafkaMessageDrivenChannelAdapter<?, ?> adapter) {
				return (MessageListenerContainer) new DirectFieldAccessor(adapter)
					.getPropertyValue("messageListenerContainer");
			}
		}
		catch (RuntimeException ex) {
			// Not a DefaultBinding, or another binder version: the binding's own state is
			// all
			// there is.
		}
		return null;
	}

	/**
	 * @return the bindings looked at so far, by name (for tests)
	 */
	List<String> knownBindings() {
		return new ArrayList<>(this.known.keySet());
	}

	@Override
	public void close() {
		if (this.checker != null) {
			this.checker.shutdownNow();
		}
	}

	/**
	 * One binding, as health sees it.
	 *
	 * @param name the binding's name
	 * @param direction {@code input} or {@code output}
	 * @param state {@code running}, {@code stopped}, {@code paused} or
	 * {@code container-stopped}
	 * @param problem why it does not run; {@code null} while it runs
	 */
	record BindingStatus(String name, String direction, String state, String problem) {
	}

}
