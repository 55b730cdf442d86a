package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Millrace service running as its own JVM from its executable jar, with its output in
 * a log file. Used by the local launcher and by the end-to-end tests, so both run the
 * services exactly the same way.
 */
public final class ServiceProcess implements AutoCloseable {

	/** Startup-friendly defaults for a laptop: small heap, fast JIT warm-up. */
	public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1");

	private static final Duration STOP_GRACE = Duration.ofSeconds(20);

	private final String name;

	private final Process process;

	private final int apiPort;

	private final int managementPort;

	private final Path logFile;

	private ServiceProcess(String name, Process process, int apiPort, int managementPort, Path logFile) {
		this.name = name;
		this.process = process;
		this.apiPort = apiPort;
		this.managementPort = managementPort;
		this.logFile = logFile;
	}

	/**
	 * Start a service.
	 * @param name the service name, for messages
	 * @param jar its executable jar
	 * @param apiPort the HTTP API port
	 * @param managementPort the actuator port
	 * @param properties Spring properties passed as command-line arguments
	 * @param jvmOptions options for the JVM
	 * @param logFile where stdout and stderr go (appended)
	 * @return the started process, not yet ready
	 */
	public static ServiceProcess launch(String name, Path jar, int apiPort, int managementPort,
			Map<String, String> properties, List<String> jvmOptions, Path logFile) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No executable jar for " + name + " at " + jar + " (build it first)");
		}
		List<String> command = new ArrayList<>();
		command.add(javaExecutable());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toAbsolutePath().toString());
		command.add("--server.port=" + apiPort);
		command.add("--management.server.port=" + managementPort);
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		return launchCommand(name, command, apiPort, managementPort, logFile);
	}

	/**
	 * Start any command as a service process (the supervisor's tests start a tiny Java
	 * main this way).
	 * @param name the name, for messages
	 * @param command the command and its arguments
	 * @param apiPort the HTTP API port it listens on
	 * @param managementPort the actuator port it listens on
	 * @param logFile where stdout and stderr go (appended)
	 * @return the started process
	 */
	static ServiceProcess launchCommand(String name, List<String> command, int apiPort, int managementPort,
			Path logFile) {
		try {
			Files.createDirectories(logFile.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
				.start();
			return new ServiceProcess(name, process, apiPort, managementPort, logFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	/**
	 * Wait until the service's readiness probe answers {@code 200}.
	 * @param timeout how long to wait
	 * @throws IllegalStateException if the process exits or the timeout passes, with the
	 * end of its log
	 */
	public void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
						+ " during startup; end of " + this.logFile + ":\n" + logTail(40));
			}
			if (isReady()) {
				return;
			}
			sleep(Duration.ofMillis(250));
		}
		throw new IllegalStateException(
				this.name + " was not ready after " + timeout + "; end of " + this.logFile + ":\n" + logTail(40));
	}

	/**
	 * Whether the readiness probe answers {@code 200} now.
	 * @return true when ready
	 */
	public boolean isReady() {
		try {
			return LocalHttp.get(managementUrl() + "/actuator/health/readiness").statusCode() == 200;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	public String name() {
		return this.name;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * @return completes with this service process when its process has exited, for
	 * whatever reason
	 */
	public CompletableFuture<ServiceProcess> onExit() {
		return this.process.onExit().thenApply((exited) -> this);
	}

	/**
	 * @return the exit code (128 + the signal's number when a signal killed it)
	 * @throws IllegalThreadStateException if the process is still running
	 */
	public int exitCode() {
		return this.process.exitValue();
	}

	public String apiUrl() {
		return "http://127.0.0.1:" + this.apiPort;
	}

	public String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	public Path logFile() {
		return this.logFile;
	}

	/**
	 * @return CPU time the service's JVM has used so far (benchmarks divide it by work
	 * done)
	 */
	public Duration cpuTime() {
		return this.process.info().totalCpuDuration().orElse(Duration.ZERO);
	}

	/**
	 * The last lines of the service's log.
	 * @param lines how many
	 * @return the lines joined by newlines
	 */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.logFile);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Append a thread dump of the running service to its log (for a test that found it
	 * stuck).
	 */
	public void dumpThreads() {
		if (!this.process.isAlive()) {
			return;
		}
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			new ProcessBuilder(jcmd.toString(), String.valueOf(this.process.pid()), "Thread.print")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start()
				.waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not dump the threads of " + this.name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stop the service the way a crash does: SIGKILL, no shutdown hooks, nothing flushed.
	 */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stop the service gracefully (SIGTERM), forcibly if it does not exit in time. */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
