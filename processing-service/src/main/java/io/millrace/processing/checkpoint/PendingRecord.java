package io.millrace.processing.checkpoint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A record the pipeline has produced but not yet published: the output binding it goes
 * to, its key, headers and payload, exactly as it will be sent. Records are kept in their
 * partition's checkpoint until they are delivered, so that a restarted instance sends the
 * very same bytes again instead of computing them a second time.
 *
 * @param binding the output binding name
 * @param key the partition key (the sensorId), or {@code null} for an unkeyed record
 * @param headers header names and UTF-8 values, in order
 * @param payload the payload
 */
public record PendingRecord(String binding, String key, Map<String, String> headers, byte[] payload) {

	public PendingRecord {
		Objects.requireNonNull(binding, "binding");
		Objects.requireNonNull(payload, "payload");
		// Sorted once, so a record is written the same way every time.
		headers = Collections.unmodifiableMap((headers != null) ? new TreeMap<>(headers) : new TreeMap<>());
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeUTF(this.binding);
		out.writeBoolean(this.key != null);
		if (this.key != null) {
			out.writeUTF(this.key);
		}
		out.writeInt(this.headers.size());
		for (Map.Entry<String, String> header : this.headers.entrySet()) {
			out.writeUTF(header.getKey());
			writeLongString(out, header.getValue());
		}
		out.writeInt(this.payload.length);
		out.write(this.payload);
	}

	static PendingRecord readFrom(DataInput in) throws IOException {
		String binding = in.readUTF();
		String key = in.readBoolean() ? in.readUTF() : null;
		int count = in.readInt();
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			headers.put(in.readUTF(), readLongString(in));
		}
		byte[] payload = new byte[in.readInt()];
		in.readFully(payload);
		return new PendingRecord(binding, key, headers, payload);
	}

	/** Header values (error details) may exceed writeUTF's 64 KB limit. */
	private static void writeLongString(DataOutput out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readLongString(DataInput in) throws IOException {
		byte[] bytes = new byte[in.readInt()];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PendingRecord that && this.binding.equals(that.binding)
				&& Objects.equals(this.key, that.key) && this.headers.equals(that.headers)
				&& Arrays.equals(this.payload, that.payload);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.binding, this.key, this.headers, Arrays.hashCode(this.payload));
	}

	@Override
	public String toString() {
		return "PendingRecord[" + this.binding + ", key=" + this.key + ", " + this.payload.length + " bytes]";
	}

}
