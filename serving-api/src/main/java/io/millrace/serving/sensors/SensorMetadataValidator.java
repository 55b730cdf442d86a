package io.millrace.serving.sensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.millrace.model.sensor.SensorMetadata;

/**
 * What the registry accepts, so that every reader of {@code sensor-metadata} (processing,
 * alerting, the lakehouse, tag filters here) can rely on it. Each problem names its field
 * as a path ({@code /tags/site}, {@code /expectedRanges/temperature/min}).
 */
final class SensorMetadataValidator {

	/** Sensor ids: what fits in a URL path segment and a record key unescaped. */
	static final Pattern SENSOR_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:~-]{0,199}");

	/**
	 * Tag keys and metric names: no {@code :} ({@code tag=key:value}), {@code =} or
	 * {@code ;} (the CSV import's {@code k=v;k2=v2}).
	 */
	static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	static final int MAX_TEXT = 256;

	private SensorMetadataValidator() {
	}

	/**
	 * @param sensorId the sensor the metadata is for (from the path or the row)
	 * @param metadata the metadata
	 * @return the problems, each with {@code field} and {@code detail}; empty when valid
	 */
	static List<Map<String, Object>> validate(String sensorId, SensorMetadata metadata) {
		List<Map<String, Object>> errors = new ArrayList<>();
		if (sensorId == null || !SENSOR_ID.matcher(sensorId).matches()) {
			errors.add(error("/sensorId", "must be 1 to 200 letters, digits or _.:~- starting with a letter or digit"));
		}
		else if (metadata.sensorId() != null && !metadata.sensorId().equals(sensorId)) {
			errors.add(error("/sensorId", "is '" + metadata.sensorId() + "' but the sensor is '" + sensorId + "'"));
		}
		text(errors, "/name", metadata.name());
		metadata.tags().forEach((key, value) -> {
			if (!NAME.matcher(key).matches()) {
				errors.add(error("/tags/" + key, "a tag key must be 1 to 64 letters, digits or _.-"));
			}
			if (value == null || value.isBlank()) {
				errors.add(error("/tags/" + key, "must have a value"));
			}
			else {
				text(errors, "/tags/" + key, value);
			}
		});
		SensorMetadata.Location location = metadata.location();
		if (location != null) {
			if ((location.latitude() == null) != (location.longitude() == null)) {
				errors.add(error("/location", "latitude and longitude go together"));
			}
			if (location.latitude() != null && !(location.latitude() >= -90 && location.latitude() <= 90)) {
				errors.add(error("/location/latitude", "must be between -90 and 90"));
			}
			if (location.longitude() != null && !(location.longitude() >= -180 && location.longitude() <= 180)) {
				errors.add(error("/location/longitude", "must be between -180 and 180"));
			}
			text(errors, "/location/site", location.site());
		}
		metadata.units().forEach((metric, unit) -> {
			if (!NAME.matcher(metric).matches()) {
				errors.add(error("/units/" + metric, "a metric name must be 1 to 64 letters, digits or _.-"));
			}
			if (unit == null || unit.isBlank() || unit.length() > 32) {
				errors.add(error("/units/" + metric, "must be a unit of 1 to 32 characters, such as °C"));
			}
		});
		metadata.expectedRanges().forEach((metric, range) -> {
			String field = "/expectedRanges/" + metric;
			if (!NAME.matcher(metric).matches()) {
				errors.add(error(field, "a metric name must be 1 to 64 letters, digits or _.-"));
			}
			if (range == null || (range.min() == null && range.max() == null)) {
				errors.add(error(field, "needs min, max or both"));
				return;
			}
			if (range.min() != null && !Double.isFinite(range.min())) {
				errors.add(error(field + "/min", "must be a finite number"));
			}
			if (range.max() != null && !Double.isFinite(range.max())) {
				errors.add(error(field + "/max", "must be a finite number"));
			}
			if (range.min() != null && range.max() != null && range.min() > range.max()) {
				errors.add(error(field + "/min", "must not be greater than max (" + range.max() + ")"));
			}
		});
		return errors;
	}

	private static void text(List<Map<String, Object>> errors, String field, String value) {
		if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl))) {
			errors.add(error(field, "must be at most " + MAX_TEXT + " characters without control characters"));
		}
	}

	static Map<String, Object> error(String field, String detail) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("detail", detail);
		return error;
	}

}
