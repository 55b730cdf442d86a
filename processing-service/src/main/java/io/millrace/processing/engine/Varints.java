package io.millrace.processing.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned LEB128 integers: small counts take one byte in a snapshot instead of eight.
 */
final class Varints {

	private Varints() {
	}

	static void write(DataOutput out, long value) throws IOException {
		if (value < 0) {
			throw new IllegalArgumentException("Varints are unsigned: " + value);
		}
		long rest = value;
		while ((rest & ~0x7FL) != 0) {
			out.writeByte((int) ((rest & 0x7F) | 0x80));
			rest >>>= 7;
		}
		out.writeByte((int) rest);
	}

	static long read(DataInput in) throws IOException {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			byte b = in.readByte();
			value |= (long) (b & 0x7F) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
		}
		throw new IOException("Malformed varint");
	}

}
