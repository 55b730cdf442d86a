package io.millrace.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.millrace.local.KafkaKraftBroker;
import io.millrace.local.LocalSettings;

/**
 * A broker the outage tests stop and start again on the same port and data, so that
 * ingest's producer reconnects to it.
 */
final class RestartableBroker {

	private final Path dataDir;

	private volatile KafkaKraftBroker broker;

	private int port;

	RestartableBroker() {
		try {
			this.dataDir = Files.createTempDirectory("millrace-outage-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		start(0);
	}

	String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	void stop() {
		this.port = this.broker.port();
		this.broker.close();
	}

	void restart() {
		start(this.port);
	}

	private void start(int port) {
		this.broker = KafkaKraftBroker.start(this.dataDir, port);
		this.broker.createTopics(LocalSettings.load().topicPartitions());
	}

}
