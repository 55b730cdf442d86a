package io.millrace.processing.engine;

/**
 * One series of a buffer-based store: its readings not yet needed by no window, and the
 * event time through which its windows are emitted (the end of its last final session, or
 * its last emitted sliding boundary).
 */
final class BufferedSeries extends ChangedSeries.Tracked {

	final ReadingBuffer readings;

	long closedThrough;

	BufferedSeries(SeriesKey key, long closedThrough, ReadingBuffer readings) {
		super(key);
		this.closedThrough = closedThrough;
		this.readings = readings;
	}

}
