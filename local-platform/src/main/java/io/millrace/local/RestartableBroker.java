package io.millrace.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A broker the outage tests stop and start again on the same port and data, so that
 * clients reconnect to it: the platform's topics with their local partition counts.
 */
public final class RestartableBroker implements AutoCloseable {

	private final Path dataDir;

	private volatile KafkaKraftBroker broker;

	private int port;

	public RestartableBroker() {
		try {
			this.dataDir = Files.createTempDirectory("millrace-outage-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		start(0);
	}

	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	public void stop() {
		this.port = this.broker.port();
		this.broker.close();
	}

	public void restart() {
		start(this.port);
	}

	private void start(int port) {
		this.broker = KafkaKraftBroker.start(this.dataDir, port);
		this.broker.createTopics(LocalSettings.load().topicPartitions());
	}

	@Override
	public void close() {
		this.broker.close();
	}

}
