package io.millrace.lakehouse.sparkcheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The second half of the cross-read (docs/lakehouse.md, "Read by Spark"): Apache Spark
 * with delta-spark, which shares no code with lakehouse-service's Kernel writer, reads
 * the tables under the directory given and evaluates every expression of
 * {@code expected.properties} in that directory
 * ({@code table|expression=Kernel's value}); any difference fails the run. Besides, per
 * table: Spark's {@code count(*)} answered from the file statistics alone (delta-spark's
 * metadata-only count) must equal the count of a full scan, so the statistics Kernel
 * wrote are right; and {@code DESCRIBE DETAIL}'s file count and format are printed.
 */
public final class SparkCrossRead {

	private SparkCrossRead() {
	}

	public static void main(String[] args) throws Exception {
		Path root = Path.of(args[0]).toAbsolutePath();
		Map<String, List<String[]>> byTable = new LinkedHashMap<>();
		for (String line : Files.readAllLines(root.resolve("expected.properties"))) {
			int bar = line.indexOf('|');
			int equals = line.lastIndexOf('=');
			byTable.computeIfAbsent(line.substring(0, bar), (t) -> new ArrayList<>())
				.add(new String[] { line.substring(bar + 1, equals), line.substring(equals + 1) });
		}
		SparkSession spark = SparkSession.builder()
			.master("local[1]")
			.appName("millrace-lakehouse-cross-read")
			.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
			.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
			.config("spark.ui.enabled", "false")
			.config("spark.sql.session.timeZone", "UTC")
			.getOrCreate();
		spark.sparkContext().setLogLevel("WARN");
		System.out.printf("Spark %s, reading %s%n", spark.version(), root);
		int failures = 0;
		try {
			for (Map.Entry<String, List<String[]>> table : byTable.entrySet()) {
				String path = root.resolve(table.getKey()).toString();
				Row detail = spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first();
				System.out.printf("%s: format %s, %s files, %s bytes, partitioned by %s, reader v%s writer v%s%n",
						table.getKey(), detail.getAs("format"), detail.getAs("numFiles"), detail.getAs("sizeInBytes"),
						detail.getAs("partitionColumns"), detail.getAs("minReaderVersion"),
						detail.getAs("minWriterVersion"));
				spark.conf().set("spark.databricks.delta.optimizeMetadataQuery.enabled", "true");
				long fromStatistics = spark.sql("SELECT count(*) FROM delta.`" + path + "`").first().getLong(0);
				spark.conf().set("spark.databricks.delta.optimizeMetadataQuery.enabled", "false");
				long scanned = spark.read().format("delta").load(path).rdd().count();
				boolean statisticsAgree = fromStatistics == scanned;
				failures += statisticsAgree ? 0 : 1;
				System.out.printf("  %-4s count from file statistics %d, by scanning the rows %d%n",
						statisticsAgree ? "ok" : "DIFF", fromStatistics, scanned);
				for (String[] check : table.getValue()) {
					Object value = spark.sql("SELECT " + check[0] + " FROM delta.`" + path + "`").first().get(0);
					String actual = format(value);
					boolean same = same(actual, check[1]);
					failures += same ? 0 : 1;
					System.out.printf("  %-4s %s = %s (Kernel: %s)%n", same ? "ok" : "DIFF", check[0], actual,
							check[1]);
				}
			}
		}
		finally {
			spark.stop();
		}
		System.out.println((failures == 0) ? "Spark read every table as Kernel did: no difference"
				: failures + " difference(s) between Spark and Kernel");
		System.exit((failures == 0) ? 0 : 1);
	}

	private static String format(Object value) {
		if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
			return String.format(Locale.ROOT, "%.6f", ((Number) value).doubleValue());
		}
		return String.valueOf(value);
	}

	/** Sums of doubles may differ in the last places by the order they are added in. */
	private static boolean same(String actual, String expected) {
		if (actual.equals(expected)) {
			return true;
		}
		try {
			double a = Double.parseDouble(actual);
			double e = Double.parseDouble(expected);
			return Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
