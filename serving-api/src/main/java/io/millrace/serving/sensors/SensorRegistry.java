package io.millrace.serving.sensors;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.sensor.SensorMetadata;
import io.millrace.model.sensor.SensorRegistrySnapshot;

/**
 * The sensor registry as this instance has read it from the compacted
 * {@code sensor-metadata} topic: the {@link SensorDirectory} behind tag filters and the
 * metadata in a sensor's detail, and the current version that the registry's writes check
 * {@code If-Match} against. Every instance reads the whole topic (no group); a tombstone
 * forgets the sensor. Plain Java.
 */
public final class SensorRegistry implements SensorDirectory {

	private final SensorRegistrySnapshot sensors = new SensorRegistrySnapshot();

	/**
	 * A sensor's metadata was published.
	 * @param metadata its metadata
	 */
	public void put(SensorMetadata metadata) {
		this.sensors.put(metadata);
		synchronized (this) {
			notifyAll();
		}
	}

	/**
	 * A sensor left the registry (a tombstone).
	 * @param sensorId the sensor
	 */
	public void remove(String sensorId) {
		this.sensors.remove(sensorId);
		synchronized (this) {
			notifyAll();
		}
	}

	/**
	 * @param sensorId a sensor
	 * @return its metadata, when registered
	 */
	public Optional<SensorMetadata> get(String sensorId) {
		return this.sensors.get(sensorId);
	}

	/**
	 * @return sensors registered
	 */
	public int size() {
		return this.sensors.size();
	}

	/**
	 * Wait until the registry holds a version (what a write just published has come back
	 * from the topic), so that a read after a write sees it.
	 * @param sensorId the sensor
	 * @param etag the version's ETag, or {@code null} to wait for the sensor to be gone
	 * @param timeout how long at most
	 * @return whether it did within the timeout
	 * @throws InterruptedException when interrupted
	 */
	public boolean await(String sensorId, String etag, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			while (!Objects.equals(etag, get(sensorId).map(SensorRegistry::etag).orElse(null))) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				wait(Math.max(1, left / 1_000_000));
			}
			return true;
		}
	}

	@Override
	public boolean knowsTags() {
		return true;
	}

	@Override
	public Map<String, String> tags(String sensorId) {
		return this.sensors.tags(sensorId);
	}

	@Override
	public Optional<Map<String, Object>> metadata(String sensorId) {
		return get(sensorId)
			.map((metadata) -> MillraceJson.mapper().convertValue(metadata, new TypeReference<Map<String, Object>>() {
			}));
	}

	/**
	 * @param metadata a version of a sensor's metadata
	 * @return its strong ETag: a hash of its canonical JSON (maps are sorted)
	 */
	public static String etag(SensorMetadata metadata) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(MillraceJson.bytes(metadata));
			return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
