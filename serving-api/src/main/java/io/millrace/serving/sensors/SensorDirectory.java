package io.millrace.serving.sensors;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference data about sensors that aggregates do not carry: their tags and metadata. The
 * seam for the sensor registry ({@code sensor-metadata}); until a bean of this type
 * exists, {@link #NONE} answers and filters by tag are refused with {@code 501}
 * ({@code tags-unavailable}) rather than matching nothing.
 */
public interface SensorDirectory {

	/** No registry: no tags, no metadata. */
	SensorDirectory NONE = new SensorDirectory() {

		@Override
		public boolean knowsTags() {
			return false;
		}

		@Override
		public Map<String, String> tags(String sensorId) {
			return Map.of();
		}

		@Override
		public Optional<Map<String, Object>> metadata(String sensorId) {
			return Optional.empty();
		}

	};

	/**
	 * @return whether this directory knows sensors' tags, so that filtering by tag means
	 * something
	 */
	boolean knowsTags();

	/**
	 * @param sensorId a sensor
	 * @return its tags, empty when it has none or is not registered
	 */
	Map<String, String> tags(String sensorId);

	/**
	 * @param sensorId a sensor
	 * @return its registered metadata (name, location, units, expected ranges …), as JSON
	 * members
	 */
	Optional<Map<String, Object>> metadata(String sensorId);

	/**
	 * @param sensorId a sensor
	 * @param required tags it must all have, {@code key:value} each
	 * @return whether it has them
	 */
	default boolean hasTags(String sensorId, List<TagFilter> required) {
		if (required.isEmpty()) {
			return true;
		}
		Map<String, String> tags = tags(sensorId);
		for (TagFilter tag : required) {
			if (!tag.value().equals(tags.get(tag.key()))) {
				return false;
			}
		}
		return true;
	}

}
