package io.millrace.runtime.operator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Records hold their headers sorted by name and unmodifiable, whatever map they are made
 * with, and keep a map already in that form without copying it.
 */
class OutputRecordTests {

	@Test
	void headersAreSortedByNameWhateverTheMapsOrder() throws IOException {
		Map<String, String> unsorted = new LinkedHashMap<>();
		unsorted.put("b", "2");
		unsorted.put("a", "1");
		TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
		reversed.putAll(unsorted);
		for (Map<String, String> headers : new Map[] { unsorted, reversed, OutputRecord.sortedHeaders(reversed) }) {
			OutputRecord record = new OutputRecord("out", "k", headers, new byte[] { 1 });
			assertThat(record.headers().keySet()).containsExactly("a", "b");
			assertThatExceptionOfType(UnsupportedOperationException.class)
				.isThrownBy(() -> record.headers().put("c", "3"));
			assertThat(roundTrip(record)).isEqualTo(record);
		}
	}

	@Test
	void sortedHeadersAreKeptAsTheyAre() {
		Map<String, String> shared = OutputRecord.sortedHeaders(Map.of("content-type", "application/json"));
		assertThat(OutputRecord.sortedHeaders(shared)).isSameAs(shared);
		assertThat(new OutputRecord("out", "k", shared, new byte[0]).headers()).isSameAs(shared);
		assertThat(new OutputRecord("out", null, null, new byte[0]).headers()).isEmpty();
	}

	private static OutputRecord roundTrip(OutputRecord record) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			record.writeTo(out);
		}
		return OutputRecord.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
	}

}
