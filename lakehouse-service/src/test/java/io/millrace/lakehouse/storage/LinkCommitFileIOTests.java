package io.millrace.lakehouse.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.sink.SourceRecord;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The local log listing answers exactly what Hadoop's does (Kernel reads versions,
 * checkpoints and checksums from it), on a real table's {@code _delta_log} with commits,
 * a checkpoint, checksum files and Hadoop's hidden checksum files.
 */
class LinkCommitFileIOTests {

	@TempDir
	Path root;

	@Test
	void listsTheLogAsHadoopDoes() throws Exception {
		LocalTableStorage storage = new LocalTableStorage(this.root);
		BronzeTable bronze = new BronzeTable(false);
		DeltaTableWriter writer = new DeltaTableWriter(DefaultEngine.create(storage.fileIO()), storage,
				bronze.definition(), "test");
		writer.ensureTable();
		Optional<Long> committed = Optional.empty();
		for (long offset = 0; offset < 12; offset++) {
			writer.append("p0", committed, offset, List.<Object[]>of(row(bronze, offset)));
			committed = Optional.of(offset);
		}
		Path log = this.root.resolve(BronzeTable.NAME).resolve("_delta_log");
		// What a Hadoop write leaves next to a file, and what a commit in progress looks
		// like.
		Files.writeString(log.resolve(".00000000000000000003.json.crc"), "x");
		Files.writeString(log.resolve(".00000000000000000013.json.1234.tmp"), "x");
		assertThat(Files.list(log).map((p) -> p.getFileName().toString())).anyMatch((n) -> n.contains("checkpoint"))
			.anyMatch((n) -> n.endsWith(".crc") && !n.startsWith("."));
		FileIO hadoop = new HadoopFileIO(new Configuration());
		FileIO linked = new LinkCommitFileIO(hadoop);
		String logUri = log.toUri().toString();
		for (String start : List.of("00000000000000000000.json", "00000000000000000007.checkpoint",
				"00000000000000000010", ".", "zzz")) {
			List<String> expected = listing(hadoop, logUri + start);
			assertThat(listing(linked, logUri + start)).as(start).isEqualTo(expected);
		}
		assertThat(listing(linked, logUri + "00000000000000000000.json")).hasSizeGreaterThan(20);
		assertThatExceptionOfType(FileNotFoundException.class).isThrownBy(() -> linked
			.listFrom(this.root.resolve("missing").resolve("00000000000000000000.json").toUri().toString()));
	}

	private static List<String> listing(FileIO io, String from) throws IOException {
		List<String> listed = new ArrayList<>();
		try (CloseableIterator<FileStatus> statuses = io.listFrom(from)) {
			while (statuses.hasNext()) {
				FileStatus status = statuses.next();
				listed.add(status.getPath() + " " + status.getSize() + " " + status.getModificationTime());
			}
		}
		return listed;
	}

	private static Object[] row(BronzeTable bronze, long offset) throws IOException {
		byte[] payload = ("{\"eventId\":\"e" + offset + "\",\"sensorId\":\"s1\",\"timestamp\":\""
				+ Instant.parse("2026-12-02T10:00:00Z").plusSeconds(offset) + "\",\"value\":1.5}")
			.getBytes(StandardCharsets.UTF_8);
		TelemetryEvent event = MillraceJson.mapper().readValue(payload, TelemetryEvent.class);
		return bronze.toRow(new SourceRecord<>("0", offset, payload, event), 1L);
	}

}
