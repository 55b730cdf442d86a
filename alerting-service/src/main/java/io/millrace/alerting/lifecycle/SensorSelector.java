package io.millrace.alerting.lifecycle;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.millrace.model.sensor.SensorIdGlob;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which sensors a rule watches. A sensor is selected when it meets every criterion that
 * is given: its id is one of {@code sensorIds}, it matches {@code sensorIdPattern}, and
 * it has every tag of {@code tags} with that value. A selector with no criteria selects
 * every sensor.
 *
 * @param sensorIds exact sensor ids
 * @param sensorIdPattern a glob over the sensor id: {@code *} is any run of characters,
 * {@code ?} one character, everything else literal
 * @param tags tags the sensor must carry
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SensorSelector(List<String> sensorIds, String sensorIdPattern, Map<String, String> tags) {

	public SensorSelector {
		sensorIds = (sensorIds != null) ? List.copyOf(sensorIds) : List.of();
		// Sorted, so that a rule's canonical JSON (and its definition hash) is stable.
		tags = (tags != null) ? new TreeMap<>(tags) : new TreeMap<>();
	}

	/**
	 * Every sensor.
	 * @return a selector without criteria
	 */
	public static SensorSelector all() {
		return new SensorSelector(List.of(), null, Map.of());
	}

	/**
	 * A selector ready to match many sensors: the glob compiled once.
	 * @return the matcher
	 */
	Matcher compile() {
		return new Matcher(this, (this.sensorIdPattern != null) ? SensorIdGlob.compile(this.sensorIdPattern) : null);
	}

	/** A compiled selector. */
	static final class Matcher {

		private final SensorSelector selector;

		private final Pattern pattern;

		private Matcher(SensorSelector selector, Pattern pattern) {
			this.selector = selector;
			this.pattern = pattern;
		}

		boolean needsTags() {
			return !this.selector.tags().isEmpty();
		}

		/**
		 * @param sensorId the sensor
		 * @param tags its tags (only read when the selector has tag criteria)
		 * @return whether the sensor is selected
		 */
		boolean matches(String sensorId, Map<String, String> tags) {
			if (!this.selector.sensorIds().isEmpty() && !this.selector.sensorIds().contains(sensorId)) {
				return false;
			}
			if (this.pattern != null && !this.pattern.matcher(sensorId).matches()) {
				return false;
			}
			for (Map.Entry<String, String> tag : this.selector.tags().entrySet()) {
				if (!tag.getValue().equals(tags.get(tag.getKey()))) {
					return false;
				}
			}
			return true;
		}

	}

}
