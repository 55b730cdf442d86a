package io.millrace.alerting.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A growable byte buffer for checkpoint state, written on the task's thread while
 * evaluation waits: no stream, no lock, no copy per field. Strings that repeat in every
 * series (rule id, metric, rule hash) are written once per segment and then referred to
 * by number ({@link #writeRef}). Read back with {@link CompactInput}.
 */
public final class CompactOutput {

	private byte[] buffer;

	private int size;

	private final Map<String, Integer> refs = new HashMap<>();

	/**
	 * @param capacity the initial capacity in bytes
	 */
	public CompactOutput(int capacity) {
		this.buffer = new byte[Math.max(16, capacity)];
	}

	public void writeByte(int value) {
		ensure(1);
		this.buffer[this.size++] = (byte) value;
	}

	public void writeBoolean(boolean value) {
		writeByte(value ? 1 : 0);
	}

	/** Unsigned LEB128; negative values take five bytes. */
	public void writeVarInt(int value) {
		ensure(5);
		while ((value & ~0x7F) != 0) {
			this.buffer[this.size++] = (byte) ((value & 0x7F) | 0x80);
			value >>>= 7;
		}
		this.buffer[this.size++] = (byte) value;
	}

	public void writeInt(int value) {
		ensure(4);
		this.buffer[this.size++] = (byte) (value >>> 24);
		this.buffer[this.size++] = (byte) (value >>> 16);
		this.buffer[this.size++] = (byte) (value >>> 8);
		this.buffer[this.size++] = (byte) value;
	}

	public void writeLong(long value) {
		ensure(8);
		for (int shift = 56; shift >= 0; shift -= 8) {
			this.buffer[this.size++] = (byte) (value >>> shift);
		}
	}

	/**
	 * The exact bits, NaN payloads included, so a restored state writes the same bytes.
	 */
	public void writeDouble(double value) {
		writeLong(Double.doubleToRawLongBits(value));
	}

	/** Length and UTF-8 bytes; ASCII without an intermediate array. */
	public void writeString(String value) {
		int length = value.length();
		boolean ascii = true;
		for (int i = 0; i < length && ascii; i++) {
			ascii = value.charAt(i) < 0x80;
		}
		if (!ascii) {
			writeBytes(value.getBytes(StandardCharsets.UTF_8));
			return;
		}
		writeVarInt(length);
		ensure(length);
		for (int i = 0; i < length; i++) {
			this.buffer[this.size++] = (byte) value.charAt(i);
		}
	}

	/** A string that repeats: its text the first time in this buffer, then its number. */
	public void writeRef(String value) {
		Integer known = this.refs.get(value);
		if (known != null) {
			writeVarInt(known + 1);
			return;
		}
		writeVarInt(0);
		writeString(value);
		this.refs.put(value, this.refs.size());
	}

	public void writeBytes(byte[] bytes) {
		writeVarInt(bytes.length);
		ensure(bytes.length);
		System.arraycopy(bytes, 0, this.buffer, this.size, bytes.length);
		this.size += bytes.length;
	}

	/**
	 * @return the bytes written
	 */
	public int size() {
		return this.size;
	}

	/**
	 * @return a copy of the bytes written
	 */
	public byte[] toByteArray() {
		return Arrays.copyOf(this.buffer, this.size);
	}

	private void ensure(int more) {
		if (this.size + more > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.size + more));
		}
	}

}
