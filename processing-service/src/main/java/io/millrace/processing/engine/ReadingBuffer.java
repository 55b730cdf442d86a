package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One series' readings in event-time order (arrival order among equal times), for the
 * window kinds whose boundaries depend on the readings themselves.
 */
final class ReadingBuffer {

	private final NavigableMap<Long, List<Double>> readings = new TreeMap<>();

	private int size;

	void add(long eventTime, double value) {
		this.readings.computeIfAbsent(eventTime, (key) -> new ArrayList<>(1)).add(value);
		this.size++;
	}

	boolean isEmpty() {
		return this.readings.isEmpty();
	}

	int size() {
		return this.size;
	}

	long firstTime() {
		return this.readings.firstKey();
	}

	/** Whether a reading lies strictly between {@code from} and {@code to}. */
	boolean anyBetween(long from, long to) {
		return from + 1 < to && !this.readings.subMap(from, false, to, false).isEmpty();
	}

	NavigableMap<Long, List<Double>> view() {
		return this.readings;
	}

	/**
	 * Statistics of the readings in {@code [from, to)}.
	 * @param from inclusive start
	 * @param to exclusive end
	 * @param emission for the statistics' sketch
	 * @return the statistics, possibly empty
	 */
	Statistics statistics(long from, long to, Emission emission) {
		Statistics statistics = emission.newStatistics();
		for (Map.Entry<Long, List<Double>> entry : this.readings.subMap(from, true, to, false).entrySet()) {
			for (double value : entry.getValue()) {
				statistics.add(entry.getKey(), value);
			}
		}
		return statistics;
	}

	/** Drop the readings before {@code time}. */
	void removeBefore(long time) {
		NavigableMap<Long, List<Double>> head = this.readings.headMap(time, false);
		for (List<Double> values : head.values()) {
			this.size -= values.size();
		}
		head.clear();
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeInt(this.readings.size());
		for (Map.Entry<Long, List<Double>> entry : this.readings.entrySet()) {
			out.writeLong(entry.getKey());
			out.writeInt(entry.getValue().size());
			for (double value : entry.getValue()) {
				out.writeDouble(value);
			}
		}
	}

	static ReadingBuffer readFrom(DataInput in) throws IOException {
		ReadingBuffer buffer = new ReadingBuffer();
		int times = in.readInt();
		for (int i = 0; i < times; i++) {
			long time = in.readLong();
			int values = in.readInt();
			for (int j = 0; j < values; j++) {
				buffer.add(time, in.readDouble());
			}
		}
		return buffer;
	}

	long estimatedBytes() {
		return 48 + 80L * this.readings.size() + 16L * this.size;
	}

}
