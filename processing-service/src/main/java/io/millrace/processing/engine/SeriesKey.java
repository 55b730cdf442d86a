package io.millrace.processing.engine;

/**
 * One metric of one sensor: the unit windows are kept for.
 *
 * @param sensorId the sensor
 * @param metric the metric
 */
record SeriesKey(String sensorId, String metric) implements Comparable<SeriesKey> {

	@Override
	public int compareTo(SeriesKey other) {
		int bySensor = this.sensorId.compareTo(other.sensorId);
		return (bySensor != 0) ? bySensor : this.metric.compareTo(other.metric);
	}

}
