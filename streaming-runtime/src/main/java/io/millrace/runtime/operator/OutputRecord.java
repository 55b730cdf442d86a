package io.millrace.runtime.operator;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A record an operator produced, exactly as it will be sent: the named output it goes to
 * (a binding, whose destination is configuration), its key, headers and payload. Records
 * are kept in their input partition's checkpoint until delivered, so that a restarted
 * instance sends the very same bytes again instead of computing them a second time.
 *
 * @param output the output name
 * @param key the partition key (the sensorId), or {@code null} for an unkeyed record
 * @param headers header names and UTF-8 values, sorted by name
 * @param payload the payload
 */
public record OutputRecord(String output, String key, Map<String, String> headers, byte[] payload) {

	/** The class of {@link #sortedHeaders}' maps, which need no copy. */
	private static final Class<?> SORTED = Collections.unmodifiableSortedMap(new TreeMap<String, String>()).getClass();

	private static final Map<String, String> NO_HEADERS = sortedHeaders(Map.of());

	public OutputRecord {
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(payload, "payload");
		// Sorted once, so a record is written the same way every time.
		headers = (headers == null || headers.isEmpty()) ? NO_HEADERS : sortedHeaders(headers);
	}

	/**
	 * Headers sorted by name and unmodifiable, as every record holds them. A record made
	 * with such a map keeps it as it is: an operator that gives many records the same
	 * headers makes them once (a copy per record was a visible cost per aggregate).
	 * @param headers header names and values
	 * @return the same headers, sorted and unmodifiable
	 */
	public static Map<String, String> sortedHeaders(Map<String, String> headers) {
		if (headers.getClass() == SORTED && ((SortedMap<String, String>) headers).comparator() == null) {
			return headers;
		}
		return Collections.unmodifiableSortedMap(new TreeMap<>(headers));
	}

	public void writeTo(DataOutput out) throws IOException {
		out.writeUTF(this.output);
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

	public static OutputRecord readFrom(DataInput in) throws IOException {
		String output = in.readUTF();
		String key = in.readBoolean() ? in.readUTF() : null;
		int count = in.readInt();
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			headers.put(in.readUTF(), readLongString(in));
		}
		byte[] payload = new byte[in.readInt()];
		in.readFully(payload);
		return new OutputRecord(output, key, headers, payload);
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
		return other instanceof OutputRecord that && this.output.equals(that.output)
				&& Objects.equals(this.key, that.key) && this.headers.equals(that.headers)
				&& Arrays.equals(this.payload, that.payload);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.output, this.key, this.headers, Arrays.hashCode(this.payload));
	}

	@Override
	public String toString() {
		return "OutputRecord[" + this.output + ", key=" + this.key + ", " + this.payload.length + " bytes]";
	}

}
