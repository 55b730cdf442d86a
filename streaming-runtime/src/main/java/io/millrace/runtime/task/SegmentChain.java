package io.millrace.runtime.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one partition's state is in the store: a full snapshot followed by the changes
 * since, each its own object. Changes are cheap to write while the chain is short; the
 * chain is compacted — a new full snapshot, the old segments deleted — after
 * {@code maxChanges} of them, or once they add up to half the full snapshot, so a restore
 * never reads much more than the state itself.
 */
final class SegmentChain {

	private final int maxChanges;

	private List<String> keys = List.of();

	private long fullBytes;

	private long changeBytes;

	private boolean forceFull;

	SegmentChain(int maxChanges) {
		this.maxChanges = maxChanges;
	}

	/** Whether the next checkpoint should write changes rather than a full snapshot. */
	boolean wantsChanges() {
		return !this.forceFull && !this.keys.isEmpty() && this.keys.size() - 1 < this.maxChanges
				&& this.changeBytes * 2 < this.fullBytes;
	}

	Next withChanges(String key, long bytes) {
		List<String> segments = new ArrayList<>(this.keys);
		segments.add(key);
		return new Next(segments, key, bytes, this.fullBytes, this.changeBytes + bytes, List.of());
	}

	Next withFull(String key, long bytes) {
		return new Next(List.of(key), key, bytes, bytes, 0, this.keys);
	}

	/**
	 * The checkpoint naming {@code next} was written.
	 * @param next the segments it names
	 * @return segments no checkpoint names any more
	 */
	List<String> advance(Next next) {
		this.keys = next.segments();
		this.fullBytes = next.fullBytes();
		this.changeBytes = next.changeBytes();
		this.forceFull = false;
		return next.obsolete();
	}

	/** The partition was restored from these segments. */
	void restored(List<String> segments, List<byte[]> data) {
		this.keys = List.copyOf(segments);
		this.fullBytes = data.get(0).length;
		this.changeBytes = data.stream().skip(1).mapToLong((segment) -> segment.length).sum();
	}

	/** Changes were taken and lost: only a full snapshot is complete again. */
	void forceFull() {
		this.forceFull = true;
	}

	/**
	 * A checkpoint's segments before it is written.
	 *
	 * @param segments the segments it names
	 * @param writtenKey the segment written for it
	 * @param writtenBytes that segment's size
	 * @param fullBytes the size of the chain's full snapshot
	 * @param changeBytes the size of the chain's changes
	 * @param obsolete segments it replaces
	 */
	record Next(List<String> segments, String writtenKey, long writtenBytes, long fullBytes, long changeBytes,
			List<String> obsolete) {
	}

}
