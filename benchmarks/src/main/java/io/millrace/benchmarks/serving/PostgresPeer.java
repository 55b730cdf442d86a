package io.millrace.benchmarks.serving;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.millrace.local.FreePorts;
import org.postgresql.PGConnection;

/**
 * The peer of the query benchmark: a throwaway PostgreSQL cluster (the binaries on the
 * PATH or under {@code -Dmillrace.bench.pg-bin}) in a temporary directory on a loopback
 * port, with the benchmark's windows in one table, loaded by {@code COPY} from the same
 * generator that feeds serving-api, its primary key {@code (sensor_id, metric,
 * window_start)} (the series queries) and a covering index {@code (metric, window_start)
 * INCLUDE (sensor_id, max)} (the top-N queries, index-only after {@code VACUUM}), and a
 * HikariCP pool. PostgreSQL refuses to run as root, so as root it runs as {@code nobody}
 * ({@code runuser}).
 */
final class PostgresPeer implements AutoCloseable {

	private static final String USER = "bench";

	private final Path dir;

	private final int port;

	private final String bin;

	private HikariDataSource pool;

	private PostgresPeer(Path dir, int port, String bin) {
		this.dir = dir;
		this.port = port;
		this.bin = bin;
	}

	/**
	 * initdb and start a cluster: 1 GB of shared buffers, no fsync (a throwaway copy;
	 * reads are unaffected), JIT off (it compiles each top-N scan again, adding tens of
	 * milliseconds), otherwise defaults.
	 */
	static PostgresPeer start() throws IOException, InterruptedException {
		Path dir = Files.createTempDirectory("serving-bench-pg-");
		PostgresPeer peer = new PostgresPeer(dir, FreePorts.next(), System.getProperty("millrace.bench.pg-bin", ""));
		peer.run(List.of(peer.tool("initdb"), "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E",
				"UTF8", "--no-sync"));
		peer.run(List.of(peer.tool("pg_ctl"), "-D", dir.resolve("data").toString(), "-l",
				dir.resolve("postgres.log").toString(), "-w", "-o",
				"-p " + peer.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c shared_buffers="
						+ System.getProperty("millrace.bench.pg-shared-buffers", "1GB")
						+ " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c jit=off"
						+ " -c max_wal_size=4GB -c maintenance_work_mem=512MB -c max_connections=100",
				"start"));
		return peer;
	}

	private String tool(String name) {
		return this.bin.isEmpty() ? name : Path.of(this.bin, name).toString();
	}

	String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/postgres";
	}

	/**
	 * Create the table, COPY every window into it, then the indexes and
	 * {@code VACUUM ANALYZE}.
	 * @return seconds spent
	 */
	double load(WindowData data) throws SQLException, IOException {
		long began = System.nanoTime();
		try (Connection connection = DriverManager.getConnection(url(), USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE UNLOGGED TABLE windows (sensor_id text NOT NULL, metric text NOT NULL, "
					+ "kind text NOT NULL, window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, "
					+ "count bigint NOT NULL, sum float8, min float8, max float8, avg float8, stddev float8, "
					+ "p50 float8, p95 float8, p99 float8, first_value float8, last_value float8, "
					+ "final boolean NOT NULL, revision int NOT NULL, emitted_at timestamptz)");
			connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY windows FROM STDIN WITH (FORMAT csv)", new CsvReader(data));
			statement.execute("ALTER TABLE windows ADD PRIMARY KEY (sensor_id, metric, window_start)");
			statement
				.execute("CREATE INDEX windows_by_time ON windows (metric, window_start) INCLUDE (sensor_id, max)");
			statement.execute("VACUUM ANALYZE windows");
		}
		return (System.nanoTime() - began) / 1e9;
	}

	/** A pool of {@code size} connections, opened at once. */
	HikariDataSource pool(int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url());
		config.setUsername(USER);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setAutoCommit(true);
		config.setReadOnly(true);
		this.pool = new HikariDataSource(config);
		return this.pool;
	}

	/** Bytes of the table and of its indexes. */
	long[] sizes() throws SQLException {
		try (Connection connection = DriverManager.getConnection(url(), USER, "");
				Statement statement = connection.createStatement();
				var rows = statement.executeQuery("SELECT pg_table_size('windows'), pg_indexes_size('windows')")) {
			rows.next();
			return new long[] { rows.getLong(1), rows.getLong(2) };
		}
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.close();
		}
		try {
			run(List.of(tool("pg_ctl"), "-D", this.dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			System.err.println("Could not stop PostgreSQL: " + ex);
		}
		try (var files = Files.walk(this.dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

	private void run(List<String> command) throws IOException, InterruptedException {
		List<String> full = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			// initdb and postgres refuse root: run them as nobody, who then owns the
			// directory.
			new ProcessBuilder("chown", "-R", "nobody", this.dir.toString()).inheritIO().start().waitFor();
			full.addAll(List.of("runuser", "-u", "nobody", "--"));
		}
		full.addAll(command);
		Process process = new ProcessBuilder(full).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("tools.log").toFile()))
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", full) + " failed; see " + this.dir.resolve("tools.log")
					+ ":\n" + Files.readString(this.dir.resolve("tools.log")));
		}
	}

	/** The data set as CSV, generated while COPY reads it. */
	private static final class CsvReader extends Reader {

		private final WindowData data;

		private int minute;

		private int sensor;

		private String row = "";

		private int position;

		CsvReader(WindowData data) {
			this.data = data;
		}

		@Override
		public int read(char[] buffer, int offset, int length) {
			if (this.position == this.row.length()) {
				if (this.minute == this.data.minutes()) {
					return -1;
				}
				this.row = this.data.window(this.sensor, this.minute).csv();
				this.position = 0;
				if (++this.sensor == this.data.sensors()) {
					this.sensor = 0;
					this.minute++;
				}
			}
			int n = Math.min(length, this.row.length() - this.position);
			this.row.getChars(this.position, this.position + n, buffer, offset);
			this.position += n;
			return n;
		}

		@Override
		public void close() {
		}

	}

	static {
		try {
			Class.forName("org.postgresql.Driver");
		}
		catch (ClassNotFoundException ex) {
			throw new UncheckedIOException(new IOException(ex));
		}
	}

}
