package io.millrace.local;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor against real child JVMs ({@link TinyService}), launched the way the
 * launcher launches services, killed with SIGKILL or crashing with an exit code.
 */
class ServiceSupervisorIntegrationTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@TempDir
	Path logs;

	/**
	 * Every process the supervisor launched, in order, with the moment it was launched.
	 */
	private final List<Launch> launched = new CopyOnWriteArrayList<>();

	private final List<String> logLines = new CopyOnWriteArrayList<>();

	private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
		@Override
		protected void append(ILoggingEvent event) {
			ServiceSupervisorIntegrationTests.this.logLines.add(event.getFormattedMessage());
		}
	};

	private ServiceSupervisor supervisor;

	@BeforeEach
	void captureTheSupervisorsLog() {
		this.appender.start();
		supervisorLogger().addAppender(this.appender);
	}

	@AfterEach
	void stopEverything() {
		if (this.supervisor != null) {
			this.supervisor.close();
		}
		supervisorLogger().detachAppender(this.appender);
		// A failed assertion must not leave a child behind.
		this.launched
			.forEach((launch) -> ProcessHandle.of(launch.process().pid()).ifPresent(ProcessHandle::destroyForcibly));
	}

	@Test
	void restartsAKilledServiceAsANewProcessAfterTheBackoffWhichDoubles() {
		this.supervisor = supervise(backoff(500, 4000), this::runningChild);
		ServiceProcess first = this.supervisor.start();

		long killedAt = System.nanoTime();
		killNine(first);
		await().atMost(PATIENCE).until(() -> this.launched.size() == 2);
		ServiceProcess second = this.launched.get(1).process();
		assertThat(second.pid()).isNotEqualTo(first.pid());
		assertThat(second.isAlive()).isTrue();
		assertThat(this.supervisor.process()).isSameAs(second);
		assertThat(Duration.ofNanos(this.launched.get(1).at() - killedAt)).isGreaterThanOrEqualTo(millis(500));
		assertThat(this.logLines).anyMatch((line) -> line
			.matches("child exited with code 137 \\(killed by SIGKILL\\) after [0-9.]+ m?s; restart 1 in 500 ms"));
		assertThat(this.logLines).contains("child restarted (restart 1), pid " + second.pid());

		killedAt = System.nanoTime();
		killNine(second);
		await().atMost(PATIENCE).until(() -> this.launched.size() == 3);
		assertThat(Duration.ofNanos(this.launched.get(2).at() - killedAt)).isGreaterThanOrEqualTo(millis(1000));
		assertThat(this.logLines).anyMatch((line) -> line.endsWith("; restart 2 in 1 s"));
		assertThat(this.launched.get(2).process().isAlive()).isTrue();
	}

	@Test
	void retriesAServiceThatKeepsCrashingAtTheCapAndSaysSo() {
		this.supervisor = supervise(backoff(200, 800), () -> crashingChild(3));
		this.supervisor.start();

		await().atMost(PATIENCE).until(() -> this.launched.size() >= 5);
		this.supervisor.close();
		long[] expectedWaits = { 200, 400, 800, 800 };
		for (int i = 0; i < expectedWaits.length; i++) {
			Duration gap = Duration.ofNanos(this.launched.get(i + 1).at() - this.launched.get(i).at());
			assertThat(gap).as("wait before restart %d", i + 1).isGreaterThanOrEqualTo(millis(expectedWaits[i]));
		}
		List<String> deaths = this.logLines.stream().filter((line) -> line.startsWith("child exited")).toList();
		assertThat(deaths.get(0)).matches("child exited with code 3 after [0-9.]+ m?s; restart 1 in 200 ms");
		assertThat(deaths.get(1)).endsWith("; restart 2 in 400 ms");
		String logFile = this.logs.resolve("child.log").toString();
		assertThat(deaths.get(2)).endsWith("; restart 3 in 800 ms (it keeps crashing: retried every 800 ms until it "
				+ "stays up; see " + logFile + ")");
		assertThat(deaths.get(3)).contains("; restart 4 in 800 ms (it keeps crashing");
	}

	@Test
	void stoppingTheSupervisorStopsTheServiceAndNothingIsRestartedAfter() {
		this.supervisor = supervise(backoff(200, 200), this::runningChild);
		ServiceProcess service = this.supervisor.start();

		this.supervisor.close();
		assertThat(service.isAlive()).isFalse();
		assertThat(ProcessHandle.of(service.pid()).filter(ProcessHandle::isAlive)).isEmpty();
		await().during(millis(1500)).atMost(PATIENCE).until(() -> this.launched.size() == 1);
		assertThat(this.logLines).noneMatch((line) -> line.contains("exited"));
	}

	@Test
	void stoppingDuringTheBackoffWaitCancelsTheRestart() {
		this.supervisor = supervise(backoff(2000, 2000), this::runningChild);
		killNine(this.supervisor.start());
		await().atMost(PATIENCE)
			.until(() -> this.logLines.stream().anyMatch((line) -> line.endsWith("restart 1 in 2 s")));

		this.supervisor.close();
		await().during(millis(3000)).atMost(PATIENCE).until(() -> this.launched.size() == 1);
		assertThat(this.logLines).noneMatch((line) -> line.contains("restarted"));
	}

	@Test
	void stoppingWhileARestartIsUnderWayStopsTheRestartedProcess() throws Exception {
		CountDownLatch restarting = new CountDownLatch(1);
		CountDownLatch proceed = new CountDownLatch(1);
		this.supervisor = supervise(backoff(100, 100), () -> {
			if (!this.launched.isEmpty()) {
				restarting.countDown();
				awaitLatch(proceed);
			}
			return runningChild();
		});
		killNine(this.supervisor.start());
		awaitLatch(restarting);

		Thread closer = new Thread(this.supervisor::close, "closer");
		closer.start();
		// close() waits for the restart under way, which holds the supervisor's lock.
		await().atMost(PATIENCE).until(() -> closer.getState() == Thread.State.BLOCKED);
		proceed.countDown();
		closer.join(PATIENCE.toMillis());

		assertThat(closer.isAlive()).isFalse();
		assertThat(this.launched).hasSize(2);
		assertThat(this.launched.get(1).process().isAlive()).as("the process launched while stopping").isFalse();
		await().during(millis(1000)).atMost(PATIENCE).until(() -> this.launched.size() == 2);
	}

	private ServiceSupervisor supervise(RestartBackoff backoff, Supplier<ServiceProcess> launcher) {
		return new ServiceSupervisor("child", () -> {
			ServiceProcess process = launcher.get();
			this.launched.add(new Launch(process, System.nanoTime()));
			return process;
		}, backoff);
	}

	private ServiceProcess runningChild() {
		return child();
	}

	private ServiceProcess crashingChild(int exitCode) {
		return child(String.valueOf(exitCode));
	}

	private ServiceProcess child(String... args) {
		List<String> command = new ArrayList<>(List.of(ServiceProcess.javaExecutable(), "-Xmx32m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", testClasses(), TinyService.class.getName()));
		command.addAll(List.of(args));
		return ServiceProcess.launchCommand("child", command, 0, 0, this.logs.resolve("child.log"));
	}

	/** What {@code kill -9 <pid>} does: SIGKILL to the process, by its pid. */
	private static void killNine(ServiceProcess process) {
		assertThat(ProcessHandle.of(process.pid()).orElseThrow().destroyForcibly()).isTrue();
	}

	private static RestartBackoff backoff(long initialMillis, long maxMillis) {
		return new RestartBackoff(millis(initialMillis), millis(maxMillis), Duration.ofMinutes(1));
	}

	private static Duration millis(long millis) {
		return Duration.ofMillis(millis);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String testClasses() {
		try {
			return Path.of(TinyService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Logger supervisorLogger() {
		return (Logger) LoggerFactory.getLogger(ServiceSupervisor.class);
	}

	private record Launch(ServiceProcess process, long at) {

	}

}
