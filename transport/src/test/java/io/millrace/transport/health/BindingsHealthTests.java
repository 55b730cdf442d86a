package io.millrace.transport.health;

import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.cloud.stream.binder.Binding;

import static org.assertj.core.api.Assertions.assertThat;

class BindingsHealthTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(BindingsHealth.class);

	@BeforeEach
	void captureLog() {
		this.log.start();
		this.logger.addAppender(this.log);
	}

	@AfterEach
	void releaseLog() {
		this.logger.detachAppender(this.log);
	}

	@Test
	void upWhileEveryBindingRunsWithEachOneInTheDetails() {
		FakeBinding input = new FakeBinding("process-in-0", true);
		FakeBinding output = new FakeBinding("results", false);
		try (BindingsHealth health = new BindingsHealth(() -> List.of(input, output), this.registry, null)) {
			health.check();
			Health result = health.health();
			assertThat(result.getStatus()).isEqualTo(Status.UP);
			assertThat(result.getDetails())
				.containsEntry("process-in-0", Map.of("direction", "input", "state", "running"))
				.containsEntry("results", Map.of("direction", "output", "state", "running"));
			assertThat(gauge("process-in-0", "input")).isEqualTo(1.0);
			assertThat(gauge("results", "output")).isEqualTo(1.0);
			assertThat(this.log.list).isEmpty();
		}
	}

	@Test
	void aStoppedOrPausedConsumerIsDownNamedInTheGaugeAndLoggedOnceAsAWarning() {
		FakeBinding input = new FakeBinding("process-in-0", true);
		FakeBinding other = new FakeBinding("other-in-0", true);
		try (BindingsHealth health = new BindingsHealth(() -> List.of(input, other), this.registry, null)) {
			health.check();
			input.running = false;
			Health stopped = health.health();
			assertThat(stopped.getStatus()).isEqualTo(Status.DOWN);
			assertThat(stopped.getDetails())
				.containsEntry("process-in-0",
						Map.of("direction", "input", "state", "stopped", "reason", "the binding is stopped"))
				.containsEntry("other-in-0", Map.of("direction", "input", "state", "running"));
			assertThat(gauge("process-in-0", "input")).isEqualTo(0.0);
			assertThat(gauge("other-in-0", "input")).isEqualTo(1.0);
			health.check();
			health.check();
			assertThat(this.log.list).singleElement().satisfies((event) -> {
				assertThat(event.getLevel()).isEqualTo(Level.WARN);
				assertThat(event.getFormattedMessage()).contains("Binding process-in-0 (input) is not running",
						"the binding is stopped", "readiness is DOWN");
			});

			input.running = true;
			input.paused = true;
			assertThat(health.health().getDetails()).containsEntry("process-in-0",
					Map.of("direction", "input", "state", "paused", "reason", "the binding is paused"));
			health.check();
			assertThat(this.log.list).hasSize(2);
			assertThat(this.log.list.get(1).getFormattedMessage()).contains("the binding is paused");

			input.paused = false;
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(gauge("process-in-0", "input")).isEqualTo(1.0);
			health.check();
			assertThat(this.log.list).hasSize(3);
			assertThat(this.log.list.get(2).getLevel()).isEqualTo(Level.INFO);
			assertThat(this.log.list.get(2).getFormattedMessage()).isEqualTo("Binding process-in-0 (input) runs again");
		}
	}

	@Test
	void aBindingThatAppearsLaterGetsItsGaugeAtTheNextCheck() {
		List<Binding<?>> bindings = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (BindingsHealth health = new BindingsHealth(() -> bindings, this.registry, null)) {
			health.check();
			assertThat(this.registry.find(BindingsHealth.METRIC).gauges()).isEmpty();
			bindings.add(new FakeBinding("late-in-0", true));
			health.check();
			assertThat(gauge("late-in-0", "input")).isEqualTo(1.0);
		}
	}

	private double gauge(String binding, String direction) {
		return this.registry.get(BindingsHealth.METRIC)
			.tag("binding", binding)
			.tag("direction", direction)
			.gauge()
			.value();
	}

	/** A binding whose state the test sets: what the binder's bindings report. */
	static final class FakeBinding implements Binding<Object> {

		private final String name;

		private final boolean input;

		volatile boolean running = true;

		volatile boolean paused;

		FakeBinding(String name, boolean input) {
			this.name = name;
			this.input = input;
		}

		@Override
		public String getBindingName() {
			return this.name;
		}

		@Override
		public boolean isInput() {
			return this.input;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public boolean isPaused() {
			return this.paused;
		}

		@Override
		public void unbind() {
		}

	}

}
