package io.millrace.processing.engine;

import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * Count, sum, min, max, mean and population standard deviation of a stream of readings,
 * plus the first and last reading by event time, in constant space. The variance uses
 * Welford's update, which stays accurate when readings are large and close together.
 */
final class RunningStatistics {

	private long count;

	private double sum;

	private double min = Double.POSITIVE_INFINITY;

	private double max = Double.NEGATIVE_INFINITY;

	private double mean;

	private double sumOfSquaredDeviations;

	private Instant firstTime;

	private double firstValue;

	private Instant lastTime;

	private double lastValue;

	void add(Instant eventTime, double value) {
		this.count++;
		this.sum += value;
		this.min = Math.min(this.min, value);
		this.max = Math.max(this.max, value);
		double delta = value - this.mean;
		this.mean += delta / this.count;
		this.sumOfSquaredDeviations += delta * (value - this.mean);
		if (this.firstTime == null || eventTime.isBefore(this.firstTime)) {
			this.firstTime = eventTime;
			this.firstValue = value;
		}
		// Ties in event time keep the later arrival as the last value.
		if (this.lastTime == null || !eventTime.isBefore(this.lastTime)) {
			this.lastTime = eventTime;
			this.lastValue = value;
		}
	}

	WindowAggregate toAggregate(String sensorId, String metric, AggregateWindow window, boolean isFinal, int revision,
			Instant emittedAt) {
		double stddev = Math.sqrt(this.sumOfSquaredDeviations / this.count);
		return new WindowAggregate(sensorId, metric, window, this.count, this.sum, this.min, this.max,
				this.sum / this.count, stddev, null, null, null, this.firstValue, this.lastValue, isFinal, revision,
				emittedAt);
	}

}
