package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

import io.millrace.model.aggregate.WindowAggregate;

/** The open windows of one {@link WindowSpec}, for every series. */
interface WindowStore {

	/**
	 * Add a reading to the windows it belongs to that have not expired (their end plus
	 * the allowed lateness is after the watermark).
	 * @param series the series
	 * @param eventTime event time in milliseconds
	 * @param value the reading
	 * @param watermark the current watermark
	 * @param out receives re-emissions of windows that were already emitted
	 * @return whether any window took the reading; {@code false} means it is too late
	 */
	boolean add(SeriesKey series, long eventTime, double value, long watermark, List<WindowAggregate> out);

	/**
	 * Emit what the watermark now completes.
	 * @param watermark the new watermark
	 * @param out receives the emissions, in window-end order
	 */
	void advance(long watermark, List<WindowAggregate> out);

	/**
	 * Emit non-final results of open windows that changed since their last emission.
	 * @param watermark the current watermark
	 * @param out receives the emissions
	 */
	void emitEarly(long watermark, List<WindowAggregate> out);

	/** Open (series, window) pairs, or buffered series for buffer-based kinds. */
	long openWindows();

	/** Approximate heap held. */
	long estimatedBytes();

	/**
	 * Write the whole state, for a snapshot.
	 * @param out where to write
	 * @throws IOException if writing fails
	 */
	void writeTo(DataOutput out) throws IOException;

	/**
	 * Load a state written by {@link #writeTo} into this empty store.
	 * @param in where to read
	 * @throws IOException if reading fails
	 */
	void readFrom(DataInput in) throws IOException;

}
