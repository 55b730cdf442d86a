package io.millrace.processing.engine;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An unsynchronized growable byte buffer for snapshots:
 * {@link java.io.ByteArrayOutputStream} takes a lock on every byte written, which a
 * snapshot of many small varints feels.
 */
final class SnapshotBytes extends OutputStream {

	private byte[] buffer = new byte[64 * 1024];

	private int size;

	@Override
	public void write(int b) {
		ensure(1);
		this.buffer[this.size++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		ensure(length);
		System.arraycopy(bytes, offset, this.buffer, this.size, length);
		this.size += length;
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.buffer, this.size);
	}

	private void ensure(int more) {
		if (this.size + more > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, Math.max(this.buffer.length * 2, this.size + more));
		}
	}

}
