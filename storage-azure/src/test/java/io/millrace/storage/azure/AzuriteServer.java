package io.millrace.storage.azure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * A real Azurite blob service for tests, as a JUnit 5 extension: <pre>
 * &#64;RegisterExtension
 * static final AzuriteServer azurite = new AzuriteServer();
 * </pre> then {@link #connectionString()}. One Azurite serves the whole test run,
 * whichever classes register it, and is stopped with its data when the run ends. It is
 * never assumed to be running: the npm package is installed on first use into
 * {@code ~/.cache/millrace/azurite/<version>} (system property
 * {@code millrace.azurite.cache} for another parent directory) and started on a free
 * loopback port. Needs {@code node} and {@code npm} on the {@code PATH}.
 */
public final class AzuriteServer implements BeforeAllCallback {

	/**
	 * The last Azurite whose package accepts Node 20: 3.36 wants Node 21, 3.37 Node 22.
	 */
	public static final String VERSION = "3.35.0";

	/** Azurite's well-known development account. */
	public static final String ACCOUNT_NAME = "devstoreaccount1";

	/** The development account's published key. */
	public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	private static final Namespace NAMESPACE = Namespace.create(AzuriteServer.class);

	private static final String TOOLS_MISSING = "Azurite (npm package azurite@" + VERSION
			+ ") needs Node.js 20 or later and npm on the PATH: install them (Debian/Ubuntu: apt-get install nodejs npm)";

	private volatile Running running;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.running = context.getRoot()
			.getStore(NAMESPACE)
			.getOrComputeIfAbsent(Running.class, (key) -> Running.start(), Running.class);
	}

	/**
	 * The port Azurite's blob service listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return running().port;
	}

	/**
	 * The development account's blob endpoint.
	 * @return {@code http://127.0.0.1:<port>/devstoreaccount1}
	 */
	public String blobEndpoint() {
		return "http://127.0.0.1:" + port() + "/" + ACCOUNT_NAME;
	}

	/**
	 * A connection string for the development account on this Azurite.
	 * @return the connection string
	 */
	public String connectionString() {
		return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
				+ ";BlobEndpoint=" + blobEndpoint() + ";";
	}

	/**
	 * Stop the server, as a storage outage; {@link #start()} brings it back.
	 */
	public void stop() {
		running().stopServer();
	}

	/**
	 * Start the server again after {@link #stop()}: the same port, the same data.
	 */
	public void start() {
		running().startAgain();
	}

	private Running running() {
		if (this.running == null) {
			throw new IllegalStateException("Register AzuriteServer with @RegisterExtension on a static field");
		}
		return this.running;
	}

	/** One Azurite process; JUnit closes it when the root context, the test run, ends. */
	private static final class Running implements ExtensionContext.Store.CloseableResource {

		private Process process;

		private final Path script;

		private final int port;

		private final Path workDirectory;

		/** Stops Azurite if the JVM is ended before JUnit closes the store. */
		private final Thread shutdownHook;

		private Running(Path script, Process process, int port, Path workDirectory) {
			this.script = script;
			this.process = process;
			this.port = port;
			this.workDirectory = workDirectory;
			this.shutdownHook = new Thread(this::stop, "azurite-shutdown");
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		}

		static Running start() {
			long started = System.nanoTime();
			Path script = install();
			long installed = System.nanoTime();
			// Another process may take the free port before Azurite binds it: try again.
			for (int attempt = 1;; attempt++) {
				Running running = launch(script, freePort());
				if (running != null) {
					System.out.printf("Azurite %s on 127.0.0.1:%d (install check %d ms, start %d ms)%n", VERSION,
							running.port, (installed - started) / 1_000_000,
							(System.nanoTime() - installed) / 1_000_000);
					return running;
				}
				if (attempt == 3) {
					throw new IllegalStateException("Azurite could not bind a free port three times");
				}
			}
		}

		/** The started server, or null if its port was taken. */
		private static Running launch(Path script, int port) {
			Path workDirectory = createTempDirectory();
			Path log = workDirectory.resolve("azurite.log");
			Process process;
			try {
				process = node(script, port, workDirectory);
			}
			catch (IOException ex) {
				deleteRecursively(workDirectory);
				throw new IllegalStateException(TOOLS_MISSING, ex);
			}
			Running running = new Running(script, process, port, workDirectory);
			String failure = running.awaitAnswer(Duration.ofSeconds(60));
			if (failure == null) {
				return running;
			}
			String output = tail(log);
			running.close();
			if (output.contains("EADDRINUSE")) {
				return null;
			}
			throw new IllegalStateException("Azurite " + failure + ". Its output:\n" + output);
		}

		private static Process node(Path script, int port, Path workDirectory) throws IOException {
			return new ProcessBuilder("node", script.toString(), "--blobHost", "127.0.0.1", "--blobPort",
					Integer.toString(port), "--location", workDirectory.resolve("data").toString(), "--silent",
					"--skipApiVersionCheck", "--loose", "--disableTelemetry")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(workDirectory.resolve("azurite.log").toFile()))
				.start();
		}

		synchronized void stopServer() {
			stop();
		}

		synchronized void startAgain() {
			if (this.process.isAlive()) {
				return;
			}
			try {
				this.process = node(this.script, this.port, this.workDirectory);
			}
			catch (IOException ex) {
				throw new IllegalStateException(TOOLS_MISSING, ex);
			}
			String failure = awaitAnswer(Duration.ofSeconds(60));
			if (failure != null) {
				throw new IllegalStateException("Azurite " + failure + " when started again. Its output:\n"
						+ tail(this.workDirectory.resolve("azurite.log")));
			}
		}

		/**
		 * Null once any HTTP answer comes (an error status too), else what went wrong.
		 */
		private String awaitAnswer(Duration timeout) {
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/" + ACCOUNT_NAME + "?comp=list"))
				.timeout(Duration.ofSeconds(2))
				.build();
			long deadline = System.nanoTime() + timeout.toNanos();
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					return "exited with " + this.process.exitValue();
				}
				try {
					client.send(request, HttpResponse.BodyHandlers.discarding());
					return null;
				}
				catch (IOException ex) {
					sleep(100);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return "was not awaited: interrupted";
				}
			}
			return "did not answer on port " + this.port + " within " + timeout.toSeconds() + " s";
		}

		@Override
		public void close() {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// The JVM is shutting down: the hook is running or has run.
			}
			stop();
			deleteRecursively(this.workDirectory);
		}

		private void stop() {
			destroyTree(this.process, Duration.ofSeconds(10));
		}

	}

	/** The azurite-blob script, installing the pinned package first if needed. */
	private static Path install() {
		Path cache = Path.of(System.getProperty("millrace.azurite.cache",
				Path.of(System.getProperty("user.home"), ".cache", "millrace", "azurite").toString()));
		Path home = cache.resolve(VERSION);
		Path script = home.resolve("node_modules/.bin/azurite-blob");
		if (Files.isRegularFile(script)) {
			return script;
		}
		// npm writes into a staging directory that is renamed into place whole, so that a
		// build killed mid-install, or two builds installing at once, never leave a
		// half-installed cache that looks complete.
		Path staging;
		try {
			Files.createDirectories(cache);
			staging = Files.createTempDirectory(cache, VERSION + ".installing-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the Azurite cache " + cache, ex);
		}
		Path log = staging.resolve("npm-install.log");
		List<String> command = List.of("npm", "install", "--prefix", staging.toString(), "--no-audit", "--no-fund",
				"--loglevel=error", "azurite@" + VERSION);
		try {
			Process npm;
			try {
				npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			}
			catch (IOException ex) {
				throw new IllegalStateException(TOOLS_MISSING, ex);
			}
			if (!npm.waitFor(10, TimeUnit.MINUTES)) {
				destroyTree(npm, Duration.ofSeconds(5));
				throw new IllegalStateException(
						"'" + String.join(" ", command) + "' took over 10 minutes:\n" + tail(log));
			}
			if (npm.exitValue() != 0) {
				throw new IllegalStateException(
						"'" + String.join(" ", command) + "' exited with " + npm.exitValue() + ":\n" + tail(log));
			}
			Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
			// Another build installed it meanwhile.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot move the Azurite install into " + home, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while installing Azurite", ex);
		}
		finally {
			deleteRecursively(staging);
		}
		if (!Files.isRegularFile(script)) {
			throw new IllegalStateException(
					"npm installed azurite@" + VERSION + " into " + home + " without " + script);
		}
		return script;
	}

	/** Children first: once the parent is gone they are no longer its descendants. */
	private static void destroyTree(Process process, Duration grace) {
		List<ProcessHandle> descendants = process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				descendants.forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			descendants.forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("azurite-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A leftover temporary directory is harmless.
		}
	}

}
