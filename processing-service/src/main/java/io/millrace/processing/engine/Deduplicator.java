package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Remembers event ids until the watermark passes their event time plus the horizon, so
 * memory stays bounded by the ids of recent event time. Dedupe is exact: an id is a
 * duplicate only if the very same characters were remembered.
 * <p>
 * The memory is built for a horizon that holds millions of ids without weighing on the
 * garbage collector: the characters of the ids are filed in one-second buckets of event
 * time (one {@code char[]} and one {@code int[]} of offsets per bucket, not objects per
 * id), and found through one open-addressing table in a {@code long[]} (per slot a
 * reference to the id's bucket and position, and its {@link String#hashCode()}; linear
 * probing at most half full, deletion by backward shift). A hash match is confirmed by
 * comparing the characters, so the hash only decides speed, never the answer: dedupe
 * stays exact. The earlier memory kept a map entry, a boxed time and a list slot per id,
 * about 150 bytes and four objects per id, which young collections copied while the
 * horizon held them; this one keeps 2 bytes per character and 4 per id in the buckets and
 * 32 to 64 bytes per id in the table, in a few arrays per second of event time.
 * <p>
 * Ids are forgotten a bucket at a time. Changes for a delta are the ids remembered since
 * the last snapshot — each bucket's ids past the count it had then, and every id of a
 * bucket created since — and the highest bucket limit forgotten below, not a copy of the
 * memory: the memory holds the ids of the whole horizon (10 minutes by default), a delta
 * only those of one checkpoint interval. Forgetting needs no list of ids: an id of the
 * last snapshot is gone exactly when its bucket is below the highest limit applied since,
 * because limits only forget whole buckets and every id of the snapshot was there for
 * each of them.
 */
final class Deduplicator {

	private static final long BUCKET_MILLIS = 1_000;

	/** No bucket forgotten since the last snapshot. */
	private static final long NOTHING_FORGOTTEN = Long.MIN_VALUE;

	private static final int CHANGES = 0;

	private static final int WHOLE = 1;

	private static final int MIN_CAPACITY = 1 << 10;

	/** A free slot of the table; no reference is 0 (bucket serials start at 1). */
	private static final long FREE = 0;

	private final long horizon;

	/** Buckets by their key, {@code floorDiv(eventTime, BUCKET_MILLIS)}. */
	private final NavigableMap<Long, Bucket> buckets = new TreeMap<>();

	/** Buckets by serial, to confirm a hash match. */
	private final Map<Integer, Bucket> bySerial = new HashMap<>();

	private int nextSerial = 1;

	/**
	 * The table, two longs per slot, side by side so a probe reads one cache line: the
	 * reference (bucket serial in the high 32 bits, position in the low 32; {@link #FREE}
	 * for a free slot), then the id's hash.
	 */
	private long[] slots = new long[2 * MIN_CAPACITY];

	private int size;

	/**
	 * The id {@link #isDuplicate} last found absent, and the free slot that ended its
	 * probe: {@link #remember} of the same id right after (what the engine does for every
	 * new event) takes that slot without probing again. Any change to the table clears
	 * it.
	 */
	private String absentId;

	private int absentSlot;

	/**
	 * Recently used buckets by the low bits of their key: events arrive a few seconds out
	 * of order, so consecutive ids alternate between a few buckets, each a tree lookup
	 * without this.
	 */
	private final Bucket[] recent = new Bucket[8];

	/** Whether {@link #startOver} was called: only then are changes tracked. */
	private boolean tracking;

	private long forgottenBelow = NOTHING_FORGOTTEN;

	Deduplicator(long horizonMillis) {
		this.horizon = horizonMillis;
	}

	boolean isDuplicate(String eventId) {
		if (eventId == null) {
			return false;
		}
		int slot = find(eventId, eventId.hashCode());
		if (slot >= 0) {
			return true;
		}
		this.absentId = eventId;
		this.absentSlot = -slot - 1;
		return false;
	}

	void remember(String eventId, long eventTime) {
		if (eventId == null) {
			return;
		}
		int hash = eventId.hashCode();
		int free;
		if (eventId == this.absentId) {
			free = this.absentSlot;
		}
		else {
			int slot = find(eventId, hash);
			if (slot >= 0) {
				return;
			}
			free = -slot - 1;
		}
		this.absentId = null;
		long key = Math.floorDiv(eventTime, BUCKET_MILLIS);
		int cached = (int) (key & (this.recent.length - 1));
		Bucket bucket = this.recent[cached];
		if (bucket == null || bucket.key != key) {
			bucket = this.buckets.get(key);
			if (bucket == null) {
				bucket = new Bucket(key, this.nextSerial++);
				this.buckets.put(key, bucket);
				this.bySerial.put(bucket.serial, bucket);
			}
			this.recent[cached] = bucket;
		}
		int position = bucket.add(eventId);
		long ref = ((long) bucket.serial << 32) | position;
		if (4 * (this.size + 1) > this.slots.length) {
			resize(this.slots.length);
			insert(hash, ref);
		}
		else {
			this.slots[2 * free] = ref;
			this.slots[2 * free + 1] = hash;
		}
		this.size++;
	}

	/** Forget ids whose whole bucket is older than {@code watermark - horizon}. */
	void forgetBefore(long watermark) {
		forgetBuckets(Math.floorDiv(watermark - this.horizon, BUCKET_MILLIS));
	}

	private void forgetBuckets(long limit) {
		NavigableMap<Long, Bucket> expired = this.buckets.headMap(limit, false);
		if (expired.isEmpty()) {
			return;
		}
		this.absentId = null;
		for (Iterator<Bucket> it = expired.values().iterator(); it.hasNext();) {
			Bucket bucket = it.next();
			for (int position = 0; position < bucket.count; position++) {
				remove(bucket.hashOf(position), ((long) bucket.serial << 32) | position);
			}
			this.bySerial.remove(bucket.serial);
			int cached = (int) (bucket.key & (this.recent.length - 1));
			if (this.recent[cached] == bucket) {
				this.recent[cached] = null;
			}
			it.remove();
		}
		this.forgottenBelow = Math.max(this.forgottenBelow, limit);
		if (this.slots.length > 2 * MIN_CAPACITY && 16L * this.size < this.slots.length) {
			resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, this.size)) * 4));
		}
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeInt(this.size);
		for (Bucket bucket : this.buckets.values()) {
			bucket.writeIds(out, 0);
		}
	}

	void readFrom(DataInput in) throws IOException {
		clear();
		int count = in.readInt();
		for (int i = 0; i < count; i++) {
			remember(in.readUTF(), in.readLong());
		}
	}

	private void clear() {
		this.buckets.clear();
		this.bySerial.clear();
		Arrays.fill(this.recent, null);
		this.slots = new long[2 * MIN_CAPACITY];
		this.size = 0;
		this.absentId = null;
	}

	/**
	 * Write what changed since {@link #startOver}: the forgetting limit, then the ids
	 * remembered since that are still remembered (an id forgotten and seen again since is
	 * written once, in the bucket it is in now). Before the first {@code startOver} the
	 * whole memory is written.
	 */
	void writeChangesTo(DataOutput out) throws IOException {
		if (!this.tracking) {
			out.writeByte(WHOLE);
			writeTo(out);
			return;
		}
		out.writeByte(CHANGES);
		out.writeLong(this.forgottenBelow);
		long count = 0;
		for (Bucket bucket : this.buckets.values()) {
			count += bucket.count - bucket.mark;
		}
		Varints.write(out, count);
		for (Bucket bucket : this.buckets.values()) {
			bucket.writeIds(out, bucket.mark);
		}
	}

	void readChangesFrom(DataInput in) throws IOException {
		int kind = in.readByte();
		if (kind == WHOLE) {
			readFrom(in);
			return;
		}
		if (kind != CHANGES) {
			throw new IOException("Unknown dedupe change kind " + kind);
		}
		// Forget first: it applies to the ids of the previous state only; ids remembered
		// since and still here are written below, whatever their bucket.
		long limit = in.readLong();
		if (limit != NOTHING_FORGOTTEN) {
			forgetBuckets(limit);
		}
		long count = Varints.read(in);
		for (long i = 0; i < count; i++) {
			remember(in.readUTF(), in.readLong());
		}
	}

	/**
	 * A snapshot of the partition was just taken or restored: track changes from here.
	 */
	void startOver() {
		this.tracking = true;
		this.forgottenBelow = NOTHING_FORGOTTEN;
		for (Bucket bucket : this.buckets.values()) {
			bucket.mark = bucket.count;
		}
	}

	int size() {
		return this.size;
	}

	/**
	 * The slot of this id if it is here, else {@code -(free slot + 1)}: the free slot
	 * that ended the probe, where the id would go.
	 */
	private int find(String id, int hash) {
		long[] table = this.slots;
		int mask = (table.length >>> 1) - 1;
		for (int slot = spread(hash) & mask;; slot = (slot + 1) & mask) {
			long ref = table[2 * slot];
			if (ref == FREE) {
				return -slot - 1;
			}
			if ((int) table[2 * slot + 1] == hash && this.bySerial.get((int) (ref >>> 32)).holds((int) ref, id)) {
				return slot;
			}
		}
	}

	private void insert(int hash, long ref) {
		long[] table = this.slots;
		int mask = (table.length >>> 1) - 1;
		int slot = spread(hash) & mask;
		while (table[2 * slot] != FREE) {
			slot = (slot + 1) & mask;
		}
		table[2 * slot] = ref;
		table[2 * slot + 1] = hash;
	}

	/** Remove the slot holding {@code ref}, shifting back the slots probed past it. */
	private void remove(int hash, long ref) {
		long[] table = this.slots;
		int mask = (table.length >>> 1) - 1;
		int slot = spread(hash) & mask;
		while (table[2 * slot] != ref) {
			slot = (slot + 1) & mask;
		}
		this.size--;
		int hole = slot;
		for (int next = (hole + 1) & mask;; next = (next + 1) & mask) {
			long moving = table[2 * next];
			if (moving == FREE) {
				break;
			}
			int home = spread((int) table[2 * next + 1]) & mask;
			// The entry at next may fill the hole unless its home lies cyclically in
			// (hole, next].
			boolean homeBetween = (hole <= next) ? (hole < home && home <= next) : (hole < home || home <= next);
			if (!homeBetween) {
				table[2 * hole] = moving;
				table[2 * hole + 1] = table[2 * next + 1];
				hole = next;
			}
		}
		table[2 * hole] = FREE;
	}

	/** Rebuild the table with this many slots (a power of two). */
	private void resize(int capacity) {
		long[] old = this.slots;
		this.slots = new long[2 * capacity];
		for (int i = 0; i < old.length; i += 2) {
			if (old[i] != FREE) {
				insert((int) old[i + 1], old[i]);
			}
		}
	}

	/** Spreads String hashes (weak in their low bits for similar ids) over the table. */
	private static int spread(int hash) {
		int h = hash * 0x9E3779B9;
		return h ^ (h >>> 16);
	}

	/**
	 * The ids of one second of event time: their characters one after another, and where
	 * each starts.
	 */
	private static final class Bucket {

		private final long key;

		private final int serial;

		private char[] chars = new char[256];

		/** {@code starts[i]} is where id {@code i} starts; id i ends at starts[i + 1]. */
		private int[] starts = new int[33];

		private int count;

		/** How many ids it held at the last snapshot; the rest are changes. */
		private int mark;

		Bucket(long key, int serial) {
			this.key = key;
			this.serial = serial;
		}

		int add(String id) {
			int from = this.starts[this.count];
			int to = from + id.length();
			if (to > this.chars.length) {
				this.chars = Arrays.copyOf(this.chars, Math.max(to, this.chars.length * 2));
			}
			id.getChars(0, id.length(), this.chars, from);
			if (this.count + 2 > this.starts.length) {
				this.starts = Arrays.copyOf(this.starts, this.starts.length * 2);
			}
			this.starts[this.count + 1] = to;
			return this.count++;
		}

		boolean holds(int position, String id) {
			int from = this.starts[position];
			int length = this.starts[position + 1] - from;
			if (length != id.length()) {
				return false;
			}
			for (int i = 0; i < length; i++) {
				if (this.chars[from + i] != id.charAt(i)) {
					return false;
				}
			}
			return true;
		}

		/** The same hash as the id's {@link String#hashCode()}. */
		int hashOf(int position) {
			int hash = 0;
			for (int i = this.starts[position]; i < this.starts[position + 1]; i++) {
				hash = 31 * hash + this.chars[i];
			}
			return hash;
		}

		/**
		 * Each id from {@code from} on, as {@link DataOutput#writeUTF} writes it (read
		 * back with {@code readUTF}), with a time in this bucket (its start). Written
		 * from the characters, without a String per id.
		 */
		void writeIds(DataOutput out, int from) throws IOException {
			long time = this.key * BUCKET_MILLIS;
			byte[] buffer = new byte[256];
			for (int position = from; position < this.count; position++) {
				int start = this.starts[position];
				int end = this.starts[position + 1];
				int length = 0;
				for (int i = start; i < end; i++) {
					char c = this.chars[i];
					length += (c >= 0x0001 && c <= 0x007F) ? 1 : ((c <= 0x07FF) ? 2 : 3);
				}
				if (length > 65535) {
					throw new IOException("Event id too long to write: " + length + " bytes");
				}
				if (length + 2 > buffer.length) {
					buffer = new byte[length + 2];
				}
				buffer[0] = (byte) (length >>> 8);
				buffer[1] = (byte) length;
				int at = 2;
				for (int i = start; i < end; i++) {
					char c = this.chars[i];
					if (c >= 0x0001 && c <= 0x007F) {
						buffer[at++] = (byte) c;
					}
					else if (c <= 0x07FF) {
						buffer[at++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
						buffer[at++] = (byte) (0x80 | (c & 0x3F));
					}
					else {
						buffer[at++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
						buffer[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
						buffer[at++] = (byte) (0x80 | (c & 0x3F));
					}
				}
				out.write(buffer, 0, at);
				out.writeLong(time);
			}
		}

	}

}
