package io.millrace.lakehouse.replay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.millrace.model.sensor.SensorIdGlob;

/**
 * Which sensors a replay takes: exact ids, and patterns where {@code *} stands for any
 * characters and {@code ?} for one (every other character is literal). Empty takes all.
 */
final class SensorSelection {

	private final Set<String> ids = new HashSet<>();

	private final List<Pattern> patterns;

	private final boolean all;

	SensorSelection(List<String> selectors) {
		List<String> given = (selectors != null) ? selectors : List.of();
		this.all = given.isEmpty();
		this.patterns = given.stream().filter(SensorIdGlob::hasWildcard).map(SensorIdGlob::compile).toList();
		given.stream().filter((s) -> !SensorIdGlob.hasWildcard(s)).forEach(this.ids::add);
	}

	boolean includes(String sensorId) {
		if (this.all || this.ids.contains(sensorId)) {
			return true;
		}
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(sensorId).matches()) {
				return true;
			}
		}
		return false;
	}

}
