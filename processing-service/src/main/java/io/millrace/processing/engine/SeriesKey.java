package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One metric of one sensor: the unit windows are kept for.
 *
 * @param sensorId the sensor
 * @param metric the metric
 */
record SeriesKey(String sensorId, String metric) implements Comparable<SeriesKey> {

	void writeTo(DataOutput out) throws IOException {
		out.writeUTF(this.sensorId);
		out.writeUTF(this.metric);
	}

	static SeriesKey readFrom(DataInput in) throws IOException {
		return new SeriesKey(in.readUTF(), in.readUTF());
	}

	@Override
	public int compareTo(SeriesKey other) {
		int bySensor = this.sensorId.compareTo(other.sensorId);
		return (bySensor != 0) ? bySensor : this.metric.compareTo(other.metric);
	}

}
