package io.millrace.alerting.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what a {@link CompactOutput} wrote.
 */
public final class CompactInput {

	private final byte[] buffer;

	private int position;

	private final List<String> refs = new ArrayList<>();

	/**
	 * @param buffer the bytes
	 * @param offset where to start reading
	 */
	public CompactInput(byte[] buffer, int offset) {
		this.buffer = buffer;
		this.position = offset;
	}

	public int readByte() {
		need(1);
		return this.buffer[this.position++] & 0xFF;
	}

	public boolean readBoolean() {
		return readByte() != 0;
	}

	public int readVarInt() {
		int value = 0;
		for (int shift = 0; shift < 35; shift += 7) {
			int next = readByte();
			value |= (next & 0x7F) << shift;
			if ((next & 0x80) == 0) {
				return value;
			}
		}
		throw new IllegalArgumentException("Malformed state: a number runs on");
	}

	public int readInt() {
		need(4);
		int value = 0;
		for (int i = 0; i < 4; i++) {
			value = (value << 8) | (this.buffer[this.position++] & 0xFF);
		}
		return value;
	}

	public long readLong() {
		need(8);
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (this.buffer[this.position++] & 0xFF);
		}
		return value;
	}

	public double readDouble() {
		return Double.longBitsToDouble(readLong());
	}

	public String readString() {
		int length = readVarInt();
		need(length);
		String value = new String(this.buffer, this.position, length, StandardCharsets.UTF_8);
		this.position += length;
		return value;
	}

	public String readRef() {
		int ref = readVarInt();
		if (ref == 0) {
			String value = readString();
			this.refs.add(value);
			return value;
		}
		if (ref > this.refs.size()) {
			throw new IllegalArgumentException("Malformed state: reference " + ref + " to nothing");
		}
		return this.refs.get(ref - 1);
	}

	public byte[] readBytes() {
		int length = readVarInt();
		need(length);
		byte[] bytes = Arrays.copyOfRange(this.buffer, this.position, this.position + length);
		this.position += length;
		return bytes;
	}

	/**
	 * @return whether every byte was read
	 */
	public boolean atEnd() {
		return this.position == this.buffer.length;
	}

	private void need(int bytes) {
		if (bytes < 0 || this.position + bytes > this.buffer.length) {
			throw new IllegalArgumentException("Malformed state: it ends too early");
		}
	}

}
