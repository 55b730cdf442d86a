package io.millrace.lakehouse.storage.azure;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.millrace.lakehouse.bronze.BronzeTable;
import io.millrace.storage.azure.AzuriteServer;
import io.millrace.transport.storage.StorageProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Kernel's file access on a real Azurite: the conditional create a commit depends on,
 * listing a log directory from a name, ranged seekable reads, missing files, and the
 * storage built from the service's configuration.
 */
class AzureBlobFileIOTests {

	@RegisterExtension
	static final AzuriteServer azurite = AzureBlobDeltaTableWriterTests.azurite;

	private static final String LOG = "tables/t/_delta_log/";

	private BlobContainerClient container;

	private AzureBlobFileIO fileIO;

	@BeforeEach
	void createContainer() {
		this.container = AzureBlobDeltaTableWriterTests.container(AzureBlobDeltaTableWriterTests.newContainerName());
		this.container.create();
		this.fileIO = new AzureBlobFileIO(this.container);
	}

	@Test
	void aSecondExclusiveCreateOfALogFileFailsWithFileAlreadyExistsAndLeavesTheFirst() throws IOException {
		String commit = this.fileIO.pathOf(LOG + version(1) + ".json");
		this.fileIO.newOutputFile(commit).writeAtomically(lines("{\"add\":1}", "{\"txn\":1}"), false);

		// Another writer (its own client and file access) wants the same version.
		AzureBlobFileIO other = new AzureBlobFileIO(
				AzureBlobDeltaTableWriterTests.container(this.container.getBlobContainerName()));
		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> other.newOutputFile(commit).writeAtomically(lines("{\"add\":2}"), false))
			.withMessageContaining(commit);
		assertThat(content(commit)).isEqualTo("{\"add\":1}\n{\"txn\":1}\n");

		// Overwriting (_last_checkpoint) replaces.
		other.newOutputFile(commit).writeAtomically(lines("{\"add\":3}"), true);
		assertThat(content(commit)).isEqualTo("{\"add\":3}\n");
	}

	@Test
	void anExclusiveCreateThatFindsItsOwnEarlierTryDoneSucceeds() throws IOException {
		// The first try of a Put Blob landed but its answer was lost; the retry is
		// refused.
		String commit = this.fileIO.pathOf(LOG + version(7) + ".json");
		this.container.getBlobClient(LOG + version(7) + ".json")
			.getBlockBlobClient()
			.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromString("{\"add\":1}\n"))
				.setMetadata(Map.of(AzureBlobFileIO.WRITE_ID, "write-1")), null, null);

		new AzureBlobFileIO(this.container, Map.of(), () -> "write-1").newOutputFile(commit)
			.writeAtomically(lines("{\"add\":1}"), false);
		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> new AzureBlobFileIO(this.container, Map.of(), () -> "write-2").newOutputFile(commit)
				.writeAtomically(lines("{\"add\":1}"), false));
	}

	@Test
	void listFromListsTheFilesOfOneDirectoryFromANameInOrder() throws IOException {
		for (String name : List.of(version(2) + ".json", version(1) + ".json", version(2) + ".checkpoint.parquet",
				version(10) + ".json", "_sidecars/a.parquet")) {
			this.fileIO.newOutputFile(this.fileIO.pathOf(LOG + name)).writeAtomically(lines("x"), false);
		}
		this.fileIO.newOutputFile(this.fileIO.pathOf("tables/t/_delta_log_other/" + version(3) + ".json"))
			.writeAtomically(lines("x"), false);

		List<FileStatus> listed = list(this.fileIO.pathOf(LOG + version(2)));
		assertThat(listed).extracting(FileStatus::getPath)
			.containsExactly(this.fileIO.pathOf(LOG + version(2) + ".checkpoint.parquet"),
					this.fileIO.pathOf(LOG + version(2) + ".json"), this.fileIO.pathOf(LOG + version(10) + ".json"));
		assertThat(listed).allSatisfy((file) -> {
			assertThat(file.getSize()).isEqualTo(2);
			assertThat(file.getModificationTime()).isPositive();
		});
		assertThat(list(this.fileIO.pathOf(LOG + version(11)))).isEmpty();
		// No blob under the directory: Kernel takes this for "no table here".
		assertThatExceptionOfType(FileNotFoundException.class)
			.isThrownBy(() -> this.fileIO.listFrom(this.fileIO.pathOf("tables/none/_delta_log/" + version(0))));
	}

	@Test
	void readsSeekAndReadRangesOfABlobLargerThanAChunk() throws IOException {
		byte[] data = new byte[AzureBlobInputStream.CHUNK * 2 + 12_345];
		new Random(7).nextBytes(data);
		String path = this.fileIO.pathOf("tables/t/part-0.parquet");
		try (PositionOutputStream out = this.fileIO.newOutputFile(path).create(true)) {
			out.write(data, 0, 100);
			out.write(data[100]);
			out.write(data, 101, data.length - 101);
			assertThat(out.getPos()).isEqualTo(data.length);
		}
		FileStatus status = this.fileIO.getFileStatus(path);
		assertThat(status.getSize()).isEqualTo(data.length);

		try (SeekableInputStream in = this.fileIO.newInputFile(path, status.getSize()).newStream()) {
			// A Parquet footer: the last 8 bytes, then a range before them.
			in.seek(data.length - 8);
			assertThat(readFully(in, 8)).isEqualTo(Arrays.copyOfRange(data, data.length - 8, data.length));
			assertThat(in.read()).isEqualTo(-1);
			in.seek(10);
			assertThat(in.read()).isEqualTo(data[10] & 0xff);
			assertThat(in.getPos()).isEqualTo(11);
			// A column chunk larger than a chunk, straight into the array, across a
			// chunk's
			// end.
			in.seek(AzureBlobInputStream.CHUNK - 5);
			assertThat(readFully(in, AzureBlobInputStream.CHUNK + 10)).isEqualTo(
					Arrays.copyOfRange(data, AzureBlobInputStream.CHUNK - 5, AzureBlobInputStream.CHUNK * 2 + 5));
			in.seek(data.length - 3);
			assertThatExceptionOfType(EOFException.class).isThrownBy(() -> readFully(in, 4));
		}
		// Kernel passes -1 or 0 when it does not know the size: the stream asks.
		for (long unknown : new long[] { -1, 0 }) {
			try (SeekableInputStream in = this.fileIO.newInputFile(path, unknown).newStream()) {
				assertThat(in.readAllBytes()).isEqualTo(data);
			}
		}
	}

	@Test
	void missingFilesAreFileNotFoundAndDeleteSaysWhetherItDeleted() throws IOException {
		String path = this.fileIO.pathOf("tables/t/missing.parquet");
		assertThatExceptionOfType(FileNotFoundException.class).isThrownBy(() -> this.fileIO.getFileStatus(path));
		assertThatExceptionOfType(FileNotFoundException.class)
			.isThrownBy(() -> this.fileIO.newInputFile(path, -1).newStream().read());
		assertThatExceptionOfType(FileNotFoundException.class)
			.isThrownBy(() -> this.fileIO.newInputFile(path, 10).newStream().read());
		assertThat(this.fileIO.delete(path)).isFalse();
		this.fileIO.newOutputFile(path).writeAtomically(lines("x"), false);
		assertThat(this.fileIO.delete(path)).isTrue();
		assertThat(this.fileIO.delete(path)).isFalse();
	}

	@Test
	void pathsAreTheBlobUrlsOfTheContainer() throws IOException {
		String table = this.fileIO.pathOf("tables/bronze/telemetry_events");
		assertThat(table).isEqualTo(azurite.blobEndpoint() + "/" + this.container.getBlobContainerName()
				+ "/tables/bronze/telemetry_events");
		assertThat(this.fileIO.resolvePath(table + "/")).isEqualTo(table);
		assertThat(this.fileIO.mkdirs(table + "/_delta_log")).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> this.fileIO
			.resolvePath("wasbs://" + this.container.getBlobContainerName() + "@devstoreaccount1/tables/t"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.fileIO.resolvePath(azurite.blobEndpoint() + "/other-container/tables/t"));
	}

	@Test
	void theStorageIsBuiltFromTheServicesStorageConfiguration() {
		String name = AzureBlobDeltaTableWriterTests.newContainerName();
		StorageProperties.Azure account = new StorageProperties.Azure(azurite.connectionString(), null, name, 2,
				Duration.ofSeconds(10));

		AzureBlobTableStorage storage = AzureBlobTableStorage.create(account,
				new AzureTableStorageProperties("", "/lake/"));

		assertThat(storage.container().exists()).as("created").isTrue();
		assertThat(storage.tablePath(BronzeTable.NAME))
			.isEqualTo(azurite.blobEndpoint() + "/" + name + "/lake/" + BronzeTable.NAME);
		assertThat(storage.describe()).contains(name).contains("prefix lake/");
		String own = AzureBlobDeltaTableWriterTests.newContainerName();
		assertThat(AzureBlobTableStorage.create(account, new AzureTableStorageProperties(own, ""))
			.tablePath(BronzeTable.NAME)).isEqualTo(azurite.blobEndpoint() + "/" + own + "/" + BronzeTable.NAME);
		assertThatIllegalStateException()
			.isThrownBy(() -> AzureBlobTableStorage.create(
					new StorageProperties.Azure(null, " ", name, 2, Duration.ofSeconds(10)),
					new AzureTableStorageProperties("", "lakehouse")))
			.withMessageContaining("millrace.storage.azure.connection-string")
			.withMessageContaining("millrace.storage.azure.endpoint");
	}

	private List<FileStatus> list(String from) throws IOException {
		List<FileStatus> files = new ArrayList<>();
		try (CloseableIterator<FileStatus> listed = this.fileIO.listFrom(from)) {
			listed.forEachRemaining(files::add);
		}
		return files;
	}

	private String content(String path) {
		return this.container.getBlobClient(this.fileIO.blobName(path)).downloadContent().toString();
	}

	private static byte[] readFully(SeekableInputStream in, int length) throws IOException {
		byte[] bytes = new byte[length];
		in.readFully(bytes, 0, length);
		return bytes;
	}

	private static String version(long version) {
		return String.format("%020d", version);
	}

	private static CloseableIterator<String> lines(String... lines) {
		return AzureBlobFileIO.iterator(List.of(lines));
	}

}
