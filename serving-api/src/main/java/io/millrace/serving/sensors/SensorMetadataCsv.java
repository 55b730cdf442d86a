package io.millrace.serving.sensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.model.sensor.SensorMetadata;

/**
 * The registry's CSV import format (RFC 4180: comma-separated, fields with commas, quotes
 * or line breaks in double quotes, a quote inside doubled). The first record is a header
 * naming the columns, in any order; every column but {@code sensorId} is optional, an
 * empty cell means absent:
 * <ul>
 * <li>{@code sensorId}, {@code name};</li>
 * <li>{@code location} (a site name), {@code latitude}, {@code longitude};</li>
 * <li>{@code tags}: {@code key=value} pairs separated by {@code ;}
 * ({@code site=plant-1;line=3});</li>
 * <li>{@code unit.<metric>}, {@code min.<metric>}, {@code max.<metric>}: a metric's unit
 * and expected range, one column each per metric.</li>
 * </ul>
 */
final class SensorMetadataCsv {

	private SensorMetadataCsv() {
	}

	/**
	 * @param csv the document
	 * @return one row per record after the header, in order
	 * @throws ImportException when the header is missing or names a column that is none
	 * of the above
	 */
	static List<Row> read(String csv) {
		List<List<String>> records = records(csv);
		if (records.isEmpty()) {
			throw new ImportException(List.of(rowError(1, null, "/", "the header row is missing")));
		}
		List<String> header = records.get(0);
		List<Map<String, Object>> headerErrors = new ArrayList<>();
		for (String column : header) {
			if (!isColumn(column.trim())) {
				headerErrors.add(rowError(1, null, column,
						"is not a column: use sensorId, name, location, latitude, longitude, tags, unit.<metric>, "
								+ "min.<metric>, max.<metric>"));
			}
		}
		if (!header.stream().map(String::trim).toList().contains("sensorId")) {
			headerErrors.add(rowError(1, null, "sensorId", "the header must name a sensorId column"));
		}
		if (!headerErrors.isEmpty()) {
			throw new ImportException(headerErrors);
		}
		List<Row> rows = new ArrayList<>();
		for (int i = 1; i < records.size(); i++) {
			List<String> record = records.get(i);
			if (record.size() == 1 && record.get(0).isBlank()) {
				continue;
			}
			rows.add(row(i + 1, header, record));
		}
		return rows;
	}

	private static boolean isColumn(String column) {
		return switch (column) {
			case "sensorId", "name", "location", "latitude", "longitude", "tags" -> true;
			default -> (column.startsWith("unit.") || column.startsWith("min.") || column.startsWith("max."))
					&& column.indexOf('.') < column.length() - 1;
		};
	}

	private static Row row(int number, List<String> header, List<String> record) {
		List<Map<String, Object>> errors = new ArrayList<>();
		if (record.size() > header.size()) {
			errors.add(rowError(number, null, "/", "has " + record.size() + " cells, the header " + header.size()));
		}
		String sensorId = null;
		String name = null;
		String site = null;
		Double latitude = null;
		Double longitude = null;
		Map<String, String> tags = new LinkedHashMap<>();
		Map<String, String> units = new LinkedHashMap<>();
		Map<String, Double> mins = new LinkedHashMap<>();
		Map<String, Double> maxes = new LinkedHashMap<>();
		for (int c = 0; c < Math.min(header.size(), record.size()); c++) {
			String column = header.get(c).trim();
			String cell = record.get(c).trim();
			if (cell.isEmpty()) {
				continue;
			}
			switch (column) {
				case "sensorId" -> sensorId = cell;
				case "name" -> name = cell;
				case "location" -> site = cell;
				case "latitude" -> latitude = number(cell, "/location/latitude", errors, number);
				case "longitude" -> longitude = number(cell, "/location/longitude", errors, number);
				case "tags" -> {
					for (String pair : cell.split(";")) {
						if (pair.isBlank()) {
							continue;
						}
						int equals = pair.indexOf('=');
						if (equals <= 0) {
							errors.add(rowError(number, null, "/tags", "'" + pair + "' is not key=value"));
						}
						else {
							tags.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
						}
					}
				}
				default -> {
					String metric = column.substring(column.indexOf('.') + 1);
					if (column.startsWith("unit.")) {
						units.put(metric, cell);
					}
					else if (column.startsWith("min.")) {
						mins.put(metric, number(cell, "/expectedRanges/" + metric + "/min", errors, number));
					}
					else {
						maxes.put(metric, number(cell, "/expectedRanges/" + metric + "/max", errors, number));
					}
				}
			}
		}
		Map<String, SensorMetadata.Range> ranges = new LinkedHashMap<>();
		for (String metric : union(mins, maxes)) {
			ranges.put(metric, new SensorMetadata.Range(mins.get(metric), maxes.get(metric)));
		}
		SensorMetadata.Location location = (site != null || latitude != null || longitude != null)
				? new SensorMetadata.Location(latitude, longitude, site) : null;
		return new Row(number, new SensorMetadata(sensorId, name, tags, location, units, ranges, null), errors);
	}

	private static List<String> union(Map<String, Double> mins, Map<String, Double> maxes) {
		List<String> metrics = new ArrayList<>(mins.keySet());
		maxes.keySet().stream().filter((metric) -> !mins.containsKey(metric)).forEach(metrics::add);
		return metrics;
	}

	private static Double number(String cell, String field, List<Map<String, Object>> errors, int row) {
		try {
			return Double.valueOf(cell);
		}
		catch (NumberFormatException ex) {
			errors.add(rowError(row, null, field, "'" + cell + "' is not a number"));
			return null;
		}
	}

	static Map<String, Object> rowError(int row, String sensorId, String field, String detail) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("row", row);
		if (sensorId != null) {
			error.put("sensorId", sensorId);
		}
		error.put("field", field);
		error.put("detail", detail);
		return error;
	}

	/** RFC 4180 records; a trailing line break ends the last record. */
	static List<List<String>> records(String csv) {
		List<List<String>> records = new ArrayList<>();
		List<String> record = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		boolean any = false;
		String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			any = true;
			if (quoted) {
				if (c == '"') {
					if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
						field.append('"');
						i++;
					}
					else {
						quoted = false;
					}
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				record.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\n' || c == '\r') {
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
					i++;
				}
				record.add(field.toString());
				field.setLength(0);
				records.add(record);
				record = new ArrayList<>();
				any = false;
			}
			else {
				field.append(c);
			}
		}
		if (any) {
			record.add(field.toString());
			records.add(record);
		}
		return records;
	}

	/**
	 * One record of the import.
	 *
	 * @param row its number in the document, the header being 1
	 * @param metadata what it says
	 * @param errors what could not be read (the metadata is validated after)
	 */
	record Row(int row, SensorMetadata metadata, List<Map<String, Object>> errors) {
	}

	/** The document cannot be imported at all. */
	static final class ImportException extends RuntimeException {

		private final List<Map<String, Object>> errors;

		ImportException(List<Map<String, Object>> errors) {
			super("The CSV header is not acceptable");
			this.errors = errors;
		}

		List<Map<String, Object>> errors() {
			return this.errors;
		}

	}

}
