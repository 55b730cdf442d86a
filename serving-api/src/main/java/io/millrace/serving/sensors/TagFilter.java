package io.millrace.serving.sensors;

import java.util.ArrayList;
import java.util.List;

import io.millrace.serving.api.ApiException;

/**
 * One {@code tag=key:value} query parameter.
 *
 * @param key the tag's name
 * @param value the value it must have
 */
public record TagFilter(String key, String value) {

	/**
	 * @param tags the {@code tag} parameters, or {@code null}
	 * @param directory where tags come from
	 * @return the filters, all of which must match
	 * @throws ApiException 400 naming {@code tag} when one is not {@code key:value}; 501
	 * when the directory knows no tags
	 */
	public static List<TagFilter> parse(List<String> tags, SensorDirectory directory) {
		if (tags == null || tags.isEmpty()) {
			return List.of();
		}
		List<TagFilter> filters = new ArrayList<>();
		for (String tag : tags) {
			int colon = tag.indexOf(':');
			if (colon <= 0) {
				throw ApiException.invalidParameter("tag", "'" + tag + "' is not key:value");
			}
			filters.add(new TagFilter(tag.substring(0, colon), tag.substring(colon + 1)));
		}
		if (!directory.knowsTags()) {
			throw ApiException.unavailable("tags-unavailable", "Tags unavailable",
					"Sensor tags come from the sensor registry (sensor-metadata), which this deployment does not "
							+ "have yet; window aggregates carry no tags",
					"tag");
		}
		return filters;
	}

}
