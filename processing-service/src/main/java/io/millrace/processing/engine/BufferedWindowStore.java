package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.aggregate.WindowAggregate;

/**
 * What the window kinds whose boundaries depend on the readings themselves (sliding,
 * session) share: per series a buffer of readings, a schedule of when each series next
 * needs a look, snapshots, and final-only emission.
 */
abstract class BufferedWindowStore implements WindowStore {

	protected final Emission emission;

	protected final Map<SeriesKey, BufferedSeries> series = new HashMap<>();

	protected final CheckSchedule schedule = new CheckSchedule();

	protected final ChangedSeries changed = new ChangedSeries();

	BufferedWindowStore(Emission emission) {
		this.emission = emission;
	}

	/**
	 * The earliest watermark at which a series may have a window to emit. A lower bound
	 * is enough: each look plans the next one.
	 * @param state the series
	 * @return the watermark at which to look
	 */
	protected abstract long nextCheck(BufferedSeries state);

	@Override
	public void emitEarly(long watermark, List<WindowAggregate> out) {
		// Emitted final only: the boundaries are not known until the windows close.
	}

	@Override
	public long openWindows() {
		return this.series.size();
	}

	@Override
	public long estimatedBytes() {
		return this.series.values().stream().mapToLong((state) -> 64 + state.readings.estimatedBytes()).sum();
	}

	@Override
	public void writeTo(DataOutput out) throws IOException {
		out.writeInt(this.series.size());
		for (Map.Entry<SeriesKey, BufferedSeries> entry : this.series.entrySet()) {
			entry.getKey().writeTo(out);
			writeSeries(entry.getValue(), out);
		}
	}

	@Override
	public void readSeriesFrom(DataInput in) throws IOException {
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			SeriesKey key = SeriesKey.readFrom(in);
			this.series.put(key, readSeries(key, in));
		}
	}

	@Override
	public void rebuildIndex() {
		// The same plan a full restore makes: nextCheck is a lower bound, and each look
		// plans the next one.
		this.schedule.clear();
		this.series.forEach((key, state) -> this.schedule.set(key, nextCheck(state)));
	}

	@Override
	public void writeChangesTo(DataOutput out) throws IOException {
		this.changed.writeTo(this.series, BufferedWindowStore::writeSeries, out);
	}

	@Override
	public void readChangesFrom(DataInput in) throws IOException {
		ChangedSeries.readFrom(this.series, BufferedWindowStore::readSeries, in);
	}

	@Override
	public void startOver() {
		this.changed.startOver();
	}

	private static void writeSeries(BufferedSeries state, DataOutput out) throws IOException {
		out.writeLong(state.closedThrough);
		state.readings.writeTo(out);
	}

	private static BufferedSeries readSeries(SeriesKey key, DataInput in) throws IOException {
		return new BufferedSeries(key, in.readLong(), ReadingBuffer.readFrom(in));
	}

}
