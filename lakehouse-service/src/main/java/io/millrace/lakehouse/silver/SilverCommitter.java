package io.millrace.lakehouse.silver;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.millrace.lakehouse.delta.CommitResult;
import io.millrace.lakehouse.delta.DeltaTableReader;
import io.millrace.lakehouse.delta.DeltaTableWriter;
import io.millrace.lakehouse.delta.FencedException;
import io.millrace.lakehouse.delta.PartitionAppender;
import io.millrace.lakehouse.delta.TableDefinition;
import io.millrace.lakehouse.sink.Timestamps;

/**
 * Commits what the Silver sink buffered for a source partition to the three Silver
 * tables, each exactly once by its own transaction ids (the same application id
 * {@code <prefix>-p<partition>} and version — the last offset covered — in each table's
 * log). Delta has no commit across tables, so the order makes a crash harmless:
 * <ol>
 * <li>quarantine first (only when it has rows): for every offset Silver holds, the
 * quarantine holds its rows too;</li>
 * <li>Silver readings;</li>
 * <li>the expectation results of the records above the results table's own version, with
 * the Silver version they belong to.</li>
 * </ol>
 * The sink resumes after the lower of Silver's and the results' versions; each table then
 * skips the records its own log already covers. A crash between the Silver commit and its
 * results makes the next results row of the partition cover both commits' records (no
 * reading counted twice or lost).
 */
public final class SilverCommitter implements PartitionAppender, AdmittedHistory {

	private static final long MICROS_PER_DAY = 86_400_000_000L;

	private final DeltaTableWriter readings;

	private final DeltaTableWriter quarantine;

	private final DeltaTableWriter results;

	private final DeltaTableReader readingsReader;

	private final DeltaTableReader quarantineReader;

	private final List<Expectation> expectations;

	private final SilverListener listener;

	private final Clock clock;

	/**
	 * @param readings the Silver readings table
	 * @param quarantine the quarantine table
	 * @param results the expectation results table
	 * @param readingsReader reads the readings table (dedupe memory)
	 * @param quarantineReader reads the quarantine table (dedupe memory)
	 * @param expectations the rules, as the pipeline has them
	 * @param listener metrics
	 * @param clock the results' commit time
	 */
	public SilverCommitter(DeltaTableWriter readings, DeltaTableWriter quarantine, DeltaTableWriter results,
			DeltaTableReader readingsReader, DeltaTableReader quarantineReader, List<Expectation> expectations,
			SilverListener listener, Clock clock) {
		this.readings = readings;
		this.quarantine = quarantine;
		this.results = results;
		this.readingsReader = readingsReader;
		this.quarantineReader = quarantineReader;
		this.expectations = List.copyOf(expectations);
		this.listener = listener;
		this.clock = clock;
	}

	@Override
	public TableDefinition definition() {
		return this.readings.definition();
	}

	@Override
	public Optional<Long> committedVersion(String appId) {
		Optional<Long> silver = this.readings.committedVersion(appId);
		Optional<Long> quality = this.results.committedVersion(appId);
		if (silver.isEmpty() || quality.isEmpty()) {
			return silver.isEmpty() ? silver : quality;
		}
		return Optional.of(Math.min(silver.get(), quality.get()));
	}

	@Override
	public CommitResult append(String appId, Optional<Long> expected, long version, List<Object[]> rows) {
		List<RecordOutcome> outcomes = rows.stream().map(RecordOutcome::of).toList();
		try {
			long files = 0;
			long bytes = 0;
			int hooks = 0;
			int attempts = 1;
			Optional<Long> quarantined = this.quarantine.committedVersion(appId);
			List<Object[]> quarantineRows = rowsAbove(outcomes, quarantined, RecordOutcome::quarantined);
			if (!quarantineRows.isEmpty() && quarantined.map((at) -> at < version).orElse(true)) {
				CommitResult result = this.quarantine.append(appId, quarantined, version, quarantineRows);
				files += result.files();
				bytes += result.bytes();
				hooks += result.hooksRun();
			}
			Optional<Long> silver = this.readings.committedVersion(appId);
			Long silverVersion = null;
			long silverRows = 0;
			if (silver.map((at) -> at < version).orElse(true)) {
				List<Object[]> readingRows = rowsAbove(outcomes, silver, RecordOutcome::readings);
				CommitResult result = this.readings.append(appId, silver, version, readingRows);
				silverVersion = result.tableVersion();
				silverRows = result.rows();
				files += result.files();
				bytes += result.bytes();
				hooks += result.hooksRun();
				attempts = result.attempts();
			}
			Optional<Long> quality = this.results.committedVersion(appId);
			if (quality.map((at) -> at < version).orElse(true)) {
				CommitResult result = commitResults(appId, quality, version, outcomes, silverVersion);
				files += result.files();
				bytes += result.bytes();
				hooks += result.hooksRun();
			}
			return new CommitResult((silverVersion != null) ? silverVersion : -1, silverRows, (int) files, bytes,
					attempts, hooks);
		}
		catch (FencedException ex) {
			// Another writer moved one of the tables: go on from where all of them are.
			throw new FencedException(appId, committedVersion(appId), ex.getMessage());
		}
	}

	private CommitResult commitResults(String appId, Optional<Long> quality, long version, List<RecordOutcome> outcomes,
			Long silverVersion) {
		long[] passed = new long[this.expectations.size()];
		long[] failed = new long[this.expectations.size()];
		long first = -1;
		for (RecordOutcome outcome : outcomes) {
			if (quality.isPresent() && outcome.offset() <= quality.get()) {
				continue;
			}
			if (first < 0) {
				first = outcome.offset();
			}
			for (int i = 0; i < passed.length; i++) {
				passed[i] += outcome.passed()[i];
				failed[i] += outcome.failed()[i];
			}
		}
		String partition = appId.substring(appId.lastIndexOf("-p") + 2);
		long committedAt = Timestamps.micros(this.clock.instant());
		List<Object[]> rows = new ArrayList<>();
		if (first >= 0) {
			for (int i = 0; i < passed.length; i++) {
				Expectation expectation = this.expectations.get(i);
				rows.add(new Object[] { expectation.name(), expectation.action().label(), expectation.expression(),
						passed[i], failed[i], partition, first, version, silverVersion, committedAt });
			}
		}
		CommitResult result = this.results.append(appId, quality, version, rows);
		for (int i = 0; i < passed.length && first >= 0; i++) {
			this.listener.expectationResults(this.expectations.get(i), passed[i], failed[i]);
		}
		return result;
	}

	private static List<Object[]> rowsAbove(List<RecordOutcome> outcomes, Optional<Long> committed,
			java.util.function.Function<RecordOutcome, List<Object[]>> part) {
		List<Object[]> rows = new ArrayList<>();
		for (RecordOutcome outcome : outcomes) {
			if (committed.isEmpty() || outcome.offset() > committed.get()) {
				rows.addAll(part.apply(outcome));
			}
		}
		return rows;
	}

	/**
	 * Reads the tables a day at a time, newest day first, and stops at the first day that
	 * lies wholly beyond the horizon of the partition's newest admitted event: the
	 * rebuild reads the last day or two, not the whole history (it used to read every day
	 * the tables hold, on every assignment).
	 */
	@Override
	public List<Admitted> admitted(String partition, long upToOffset, long horizonMicros) {
		java.util.SortedSet<Integer> days = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
		days.addAll(this.readingsReader.partitionDays("event_date"));
		days.addAll(this.quarantineReader.partitionDays("event_date"));
		Map<String, Admitted> events = new HashMap<>();
		long newest = Long.MIN_VALUE;
		for (int day : days) {
			if (newest != Long.MIN_VALUE && (day + 1L) * MICROS_PER_DAY <= newest - horizonMicros) {
				break;
			}
			for (DeltaTableReader reader : List.of(this.readingsReader, this.quarantineReader)) {
				for (Map<String, Object> row : reader.rows(
						List.of("event_id", "event_time", "source_partition", "source_offset"),
						Optional.of(DeltaTableReader.and(DeltaTableReader.equalTo("source_partition", partition),
								DeltaTableReader.dateEqualTo("event_date", day))))) {
					Object eventId = row.get("event_id");
					long offset = (Long) row.get("source_offset");
					if (eventId == null || !partition.equals(row.get("source_partition")) || offset > upToOffset) {
						continue;
					}
					long eventTime = (Long) row.get("event_time");
					newest = Math.max(newest, eventTime);
					events.putIfAbsent((String) eventId, new Admitted((String) eventId, eventTime, offset));
				}
			}
		}
		return new ArrayList<>(events.values());
	}

}
