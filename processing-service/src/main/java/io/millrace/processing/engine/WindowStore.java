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
	 * @param sketchKey the reading's sketch bucket ({@link Emission#sketchKeyOf}),
	 * computed once for every store
	 * @param watermark the current watermark
	 * @param out receives the late updates of windows whose end the watermark has passed
	 * @return whether any window took the reading; {@code false} means it is too late
	 */
	boolean add(SeriesKey series, long eventTime, double value, int sketchKey, long watermark,
			List<WindowAggregate> out);

	/**
	 * Emit what the watermark's move completes: on-time results of the windows ending in
	 * {@code (from, to]} and finals of those whose end plus lateness is at or before
	 * {@code to}. Taking the previous watermark as an argument, instead of remembering it
	 * here, keeps the on-time position inside the partition's checkpointed watermark.
	 * @param from the watermark before the move
	 * @param to the new watermark, above {@code from}
	 * @param out receives the emissions, in window-end order
	 */
	void advance(long from, long to, List<WindowAggregate> out);

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
	default void readFrom(DataInput in) throws IOException {
		readSeriesFrom(in);
		rebuildIndex();
	}

	/**
	 * Load the series of a state written by {@link #writeTo} into this empty store,
	 * without the indexes that find work by time: changes may follow
	 * ({@link #readChangesFrom}), and indexing once at the end is what keeps replacing a
	 * series cheap. {@link #rebuildIndex} must follow.
	 * @param in where to read
	 * @throws IOException if reading fails
	 */
	void readSeriesFrom(DataInput in) throws IOException;

	/**
	 * Index the series loaded by {@link #readSeriesFrom} and {@link #readChangesFrom}.
	 */
	void rebuildIndex();

	/**
	 * Write the current state of every series changed since {@link #startOver}, or that
	 * it is gone. Does not start over: the caller does once the snapshot is complete.
	 * @param out where to write
	 * @throws IOException if writing fails
	 */
	void writeChangesTo(DataOutput out) throws IOException;

	/**
	 * Replace the series written by {@link #writeChangesTo}, between
	 * {@link #readSeriesFrom} and {@link #rebuildIndex}.
	 * @param in where to read
	 * @throws IOException if reading fails
	 */
	void readChangesFrom(DataInput in) throws IOException;

	/**
	 * A snapshot of the partition was just taken or restored: track changes from here.
	 */
	void startOver();

}
