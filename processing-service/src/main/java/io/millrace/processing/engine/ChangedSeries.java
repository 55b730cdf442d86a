package io.millrace.processing.engine;

import java.util.Map;

import java.io.IOException;

import java.io.DataOutput;

import java.io.DataInput;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The series of one store that changed since the last snapshot of their partition, so
 * that a delta writes only those. Marking sets a flag on the series' own state, which the
 * store holds at that point anyway: a field read per reading, no hashing and nothing
 * allocated but a list slot the first time a series changes. (A {@code HashSet} of keys
 * did not measure differently: both are within the noise of the hot-path part of
 * {@code IncrementalSnapshotBenchmark}.) Off until the partition's first snapshot: an
 * engine that never takes partition snapshots keeps no list.
 */
final class ChangedSeries {

	private List<Tracked> changed = new ArrayList<>();

	private boolean tracking;

	void mark(Tracked series) {
		if (this.tracking && !series.changed) {
			series.changed = true;
			this.changed.add(series);
		}
	}

	/**
	 * The keys of the series changed, each once: a series removed and opened again since
	 * has two states marked.
	 */
	Set<SeriesKey> keys() {
		Set<SeriesKey> keys = new LinkedHashSet<>();
		for (Tracked series : this.changed) {
			keys.add(series.key);
		}
		return keys;
	}

	/**
	 * A snapshot of the partition was just taken or restored: changes count from here.
	 */
	void startOver() {
		for (Tracked series : this.changed) {
			series.changed = false;
		}
		// A new list rather than clear(): after a window boundary changed every series,
		// clear() would keep that capacity.
		this.changed = new ArrayList<>();
		this.tracking = true;
	}

	/**
	 * Write each changed series' current state, or a tombstone when it is gone.
	 * @param <S> the store's state of a series
	 * @param series the store's series
	 * @param writer how the store writes one series' state (as in its full snapshots)
	 * @param out where to write
	 * @throws IOException if writing fails
	 */
	<S> void writeTo(Map<SeriesKey, S> series, SeriesWriter<S> writer, DataOutput out) throws IOException {
		Set<SeriesKey> keys = keys();
		Varints.write(out, keys.size());
		for (SeriesKey key : keys) {
			key.writeTo(out);
			S state = series.get(key);
			out.writeBoolean(state != null);
			if (state != null) {
				writer.write(state, out);
			}
		}
	}

	/**
	 * Apply what {@link #writeTo} wrote to a store's series.
	 * @param <S> the store's state of a series
	 * @param series the store's series
	 * @param reader how the store reads one series' state
	 * @param in where to read
	 * @throws IOException if reading fails
	 */
	static <S> void readFrom(Map<SeriesKey, S> series, SeriesReader<S> reader, DataInput in) throws IOException {
		long count = Varints.read(in);
		for (long i = 0; i < count; i++) {
			SeriesKey key = SeriesKey.readFrom(in);
			if (in.readBoolean()) {
				series.put(key, reader.read(key, in));
			}
			else {
				series.remove(key);
			}
		}
	}

	@FunctionalInterface
	interface SeriesWriter<S> {

		void write(S state, DataOutput out) throws IOException;

	}

	@FunctionalInterface
	interface SeriesReader<S> {

		S read(SeriesKey key, DataInput in) throws IOException;

	}

	/** The state one store keeps for one series. */
	abstract static class Tracked {

		final SeriesKey key;

		/** Marked since the last snapshot; only {@link ChangedSeries} touches it. */
		private boolean changed;

		Tracked(SeriesKey key) {
			this.key = key;
		}

	}

}
