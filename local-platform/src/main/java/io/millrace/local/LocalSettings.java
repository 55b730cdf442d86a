package io.millrace.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Settings of the local run: the defaults in {@code local-platform.properties},
 * overridden by {@code --key=value} arguments.
 */
public final class LocalSettings {

	private static final String TOPIC_PREFIX = "topics.";

	private static final String PARTITIONS_SUFFIX = ".partitions";

	private final Properties properties;

	private LocalSettings(Properties properties) {
		this.properties = properties;
	}

	/**
	 * Load the defaults and apply the arguments.
	 * @param args {@code --key=value} overrides
	 * @return the settings
	 */
	public static LocalSettings load(String... args) {
		Properties properties = new Properties();
		try (InputStream in = LocalSettings.class.getResourceAsStream("/local-platform.properties")) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("Expected --key=value, got '" + arg + "'");
			}
			String key = arg.substring(2, arg.indexOf('='));
			if (!properties.containsKey(key)) {
				throw new IllegalArgumentException("Unknown setting '" + key + "'; known: " + properties.keySet());
			}
			properties.setProperty(key, arg.substring(arg.indexOf('=') + 1));
		}
		return new LocalSettings(properties);
	}

	/**
	 * Topics to create, with their partition counts.
	 * @return topic name to partitions
	 */
	public Map<String, Integer> topicPartitions() {
		Map<String, Integer> topics = new TreeMap<>();
		for (String key : this.properties.stringPropertyNames()) {
			if (key.startsWith(TOPIC_PREFIX) && key.endsWith(PARTITIONS_SUFFIX)) {
				String topic = key.substring(TOPIC_PREFIX.length(), key.length() - PARTITIONS_SUFFIX.length());
				topics.put(topic, integer(key));
			}
		}
		return topics;
	}

	/**
	 * The API port of a service.
	 * @param service the service name
	 * @return its API port
	 */
	public int apiPort(String service) {
		return Integer.parseInt(string(service + ".ports").split(",")[0].trim());
	}

	/**
	 * The management port of a service.
	 * @param service the service name
	 * @return its management port
	 */
	public int managementPort(String service) {
		return Integer.parseInt(string(service + ".ports").split(",")[1].trim());
	}

	public String string(String key) {
		String value = this.properties.getProperty(key);
		if (value == null) {
			throw new IllegalArgumentException("Missing setting '" + key + "'");
		}
		return value.trim();
	}

	public int integer(String key) {
		return Integer.parseInt(string(key));
	}

	public boolean flag(String key) {
		return Boolean.parseBoolean(string(key));
	}

	public Duration duration(String key) {
		return Duration.parse(string(key));
	}

}
