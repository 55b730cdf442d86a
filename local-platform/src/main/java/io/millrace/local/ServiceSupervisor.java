package io.millrace.local;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one service running, the way a container orchestrator does: when its process dies
 * with a non-zero exit code (it crashed, or a signal killed it) it is started again after
 * a {@link RestartBackoff}; a process that exits with code 0 stopped on purpose and is
 * left stopped. Each death and each restart is logged on one line. {@link #close()} stops
 * the service — also one waiting for its restart or being restarted at that moment — and
 * nothing is restarted after it.
 */
final class ServiceSupervisor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceSupervisor.class);

	private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL", 11,
			"SIGSEGV", 15, "SIGTERM");

	private final String name;

	private final Supplier<ServiceProcess> launcher;

	private final RestartBackoff backoff;

	private final ScheduledExecutorService restarts;

	/** Guards every field below; held while a process is launched. */
	private final Object lock = new Object();

	private ServiceProcess current;

	private ScheduledFuture<?> pendingRestart;

	private int pendingAttempt;

	private boolean stopping;

	/**
	 * Supervise a service.
	 * @param name the service name, for the log
	 * @param launcher starts one process of the service (called again for each restart)
	 * @param backoff the waits between restarts
	 */
	ServiceSupervisor(String name, Supplier<ServiceProcess> launcher, RestartBackoff backoff) {
		this.name = name;
		this.launcher = launcher;
		this.backoff = backoff;
		this.restarts = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "supervisor-" + name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Launch the service's first process and watch it from then on.
	 * @return the process, not yet ready
	 * @throws IllegalStateException if the supervisor is stopping, or the process cannot
	 * be launched
	 */
	ServiceProcess start() {
		synchronized (this.lock) {
			if (this.stopping) {
				throw new IllegalStateException(this.name + " is stopping; not starting it");
			}
			if (this.current != null) {
				throw new IllegalStateException(this.name + " was started already");
			}
			ServiceProcess process = this.launcher.get();
			watch(process);
			return process;
		}
	}

	String name() {
		return this.name;
	}

	/**
	 * @return the service's latest process: the running one, or the one that died last
	 * while a restart is pending
	 */
	ServiceProcess process() {
		synchronized (this.lock) {
			if (this.current == null) {
				throw new IllegalStateException(this.name + " was not started");
			}
			return this.current;
		}
	}

	/**
	 * Stop restarting (a pending restart is cancelled) and leave the process running;
	 * {@link #close()} stops it. A platform shutting down calls this on every supervisor
	 * first, so a service that dies while the others are being stopped stays dead.
	 */
	void stopRestarting() {
		synchronized (this.lock) {
			this.stopping = true;
			if (this.pendingRestart != null) {
				this.pendingRestart.cancel(false);
				this.pendingRestart = null;
			}
		}
	}

	/** Stop restarting and stop the service's process (gracefully, then forcibly). */
	@Override
	public void close() {
		ServiceProcess last;
		synchronized (this.lock) {
			// A restart in progress holds the lock until its process is launched and
			// recorded as current, so that process is the one stopped here.
			stopRestarting();
			last = this.current;
		}
		this.restarts.shutdownNow();
		if (last != null) {
			last.close();
		}
	}

	/** Make a just launched process the current one and restart it when it dies. */
	private void watch(ServiceProcess process) {
		long startedAt = System.nanoTime();
		this.current = process;
		// Runs at once, on this thread (which holds the lock), if it has died already.
		process.onExit().thenRun(() -> exited(process, Duration.ofNanos(System.nanoTime() - startedAt)));
	}

	private void exited(ServiceProcess process, Duration ranFor) {
		synchronized (this.lock) {
			if (this.stopping || process != this.current) {
				return;
			}
			int code = process.exitCode();
			if (code == 0) {
				logger.warn("{} exited with code 0 after {}: it stopped by itself, so it is not restarted", this.name,
						readable(ranFor));
				return;
			}
			RestartBackoff.Restart restart = this.backoff.next(ranFor);
			logger.warn("{} exited with code {}{} after {}; restart {} in {}{}", this.name, code, signal(code),
					readable(ranFor), restart.attempt(), readable(restart.delay()), keepsCrashing(restart, process));
			schedule(restart);
		}
	}

	private void restart() {
		synchronized (this.lock) {
			if (this.stopping) {
				return;
			}
			this.pendingRestart = null;
			try {
				ServiceProcess process = this.launcher.get();
				logger.info("{} restarted (restart {}), pid {}", this.name, this.pendingAttempt, process.pid());
				watch(process);
			}
			catch (RuntimeException ex) {
				RestartBackoff.Restart restart = this.backoff.next(Duration.ZERO);
				logger.error("{} could not be restarted: {}; restart {} in {}", this.name, ex.getMessage(),
						restart.attempt(), readable(restart.delay()));
				schedule(restart);
			}
		}
	}

	private void schedule(RestartBackoff.Restart restart) {
		this.pendingAttempt = restart.attempt();
		this.pendingRestart = this.restarts.schedule(this::restart, restart.delay().toNanos(), TimeUnit.NANOSECONDS);
	}

	private static String keepsCrashing(RestartBackoff.Restart restart, ServiceProcess process) {
		if (!restart.atCap() || restart.attempt() == 1) {
			return "";
		}
		return " (it keeps crashing: retried every " + readable(restart.delay()) + " until it stays up; see "
				+ process.logFile() + ")";
	}

	private static String signal(int exitCode) {
		if (exitCode <= 128 || exitCode > 128 + 64) {
			return "";
		}
		int number = exitCode - 128;
		return " (killed by " + SIGNALS.getOrDefault(number, "signal " + number) + ")";
	}

	static String readable(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return (millis % 1000 < 100) ? (millis / 1000) + " s"
					: String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
	}

}
