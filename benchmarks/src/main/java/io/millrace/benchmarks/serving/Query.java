package io.millrace.benchmarks.serving;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One query of the benchmark's fixed mix, as serving-api's HTTP request and as the peer's
 * SQL, with the answer both give in a form that can be compared.
 * <ul>
 * <li><b>series</b>: a random sensor's 1-minute windows over a random range of 10 to 60
 * minutes inside the data (every statistic of each window);
 * <li><b>top</b>: the 10 sensors with the highest maximum over a random whole hour inside
 * the data (each with its value and how many windows it came from).
 * </ul>
 *
 * @param top whether it is a top-N query
 * @param sensor the sensor (series)
 * @param from inclusive start, epoch ms
 * @param to exclusive end, epoch ms
 */
record Query(boolean top, String sensor, long from, long to) {

	static final int TOP_N = 10;

	static final String SERIES_SQL = "SELECT window_start, count, sum, min, max, avg, stddev, p50, p95, p99, "
			+ "first_value, last_value, final, revision, emitted_at FROM windows "
			+ "WHERE sensor_id = ? AND metric = ? AND window_start >= ? AND window_start < ? "
			+ "ORDER BY window_start LIMIT 100";

	static final String TOP_SQL = "SELECT sensor_id, max(max) AS value, count(*) AS windows FROM windows "
			+ "WHERE metric = ? AND window_start >= ? AND window_start < ? "
			+ "GROUP BY sensor_id ORDER BY value DESC, sensor_id LIMIT " + TOP_N;

	/**
	 * The next query of the mix: {@code topPercent} % top-N, the rest series.
	 */
	static Query next(SplittableRandom random, WindowData data, int topPercent) {
		if (random.nextInt(100) < topPercent) {
			int hours = Math.max(1, data.minutes() / 60);
			long from = data.startMillis() + random.nextInt(hours) * 60 * WindowData.MINUTE;
			return new Query(true, null, from, from + 60 * WindowData.MINUTE);
		}
		int length = Math.min(data.minutes(), 10 + random.nextInt(51));
		long from = data.startMillis() + random.nextInt(data.minutes() - length + 1) * WindowData.MINUTE;
		return new Query(false, WindowData.sensorId(random.nextInt(data.sensors())), from,
				from + length * WindowData.MINUTE);
	}

	String kind() {
		return this.top ? "top" : "series";
	}

	/** serving-api's request target. */
	String path() {
		String range = "&from=" + Instant.ofEpochMilli(this.from) + "&to=" + Instant.ofEpochMilli(this.to);
		if (this.top) {
			return "/api/v1/top?metric=" + WindowData.METRIC + "&statistic=max&size=PT1M&limit=" + TOP_N + range;
		}
		return "/api/v1/sensors/" + this.sensor + "/aggregates?metric=" + WindowData.METRIC + "&kind=tumbling&size=PT1M"
				+ range;
	}

	/**
	 * Run it on the peer, reading every column of every row.
	 * @return the answer, comparable with {@link #fromJson}
	 */
	List<String> run(Connection connection) throws SQLException {
		List<String> answer = new ArrayList<>();
		if (this.top) {
			try (PreparedStatement statement = connection.prepareStatement(TOP_SQL)) {
				statement.setString(1, WindowData.METRIC);
				statement.setObject(2, at(this.from));
				statement.setObject(3, at(this.to));
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						answer.add(rows.getString(1) + " " + rows.getDouble(2) + " " + rows.getInt(3));
					}
				}
			}
			return answer;
		}
		try (PreparedStatement statement = connection.prepareStatement(SERIES_SQL)) {
			statement.setString(1, this.sensor);
			statement.setString(2, WindowData.METRIC);
			statement.setObject(3, at(this.from));
			statement.setObject(4, at(this.to));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					long start = rows.getTimestamp(1).getTime();
					long count = rows.getLong(2);
					double sum = rows.getDouble(3);
					double min = rows.getDouble(4);
					double max = rows.getDouble(5);
					double avg = rows.getDouble(6);
					double stddev = rows.getDouble(7);
					double p50 = rows.getDouble(8);
					double p95 = rows.getDouble(9);
					double p99 = rows.getDouble(10);
					double first = rows.getDouble(11);
					double last = rows.getDouble(12);
					rows.getBoolean(13);
					rows.getInt(14);
					rows.getTimestamp(15);
					answer.add(series(start, count, sum, min, max, avg, stddev, p50, p95, p99, first, last));
				}
			}
		}
		return answer;
	}

	private static OffsetDateTime at(long millis) {
		return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
	}

	private static String series(long start, long count, double sum, double min, double max, double avg, double stddev,
			double p50, double p95, double p99, double first, double last) {
		return start + " " + count + " " + sum + " " + min + " " + max + " " + avg + " " + stddev + " " + p50 + " "
				+ p95 + " " + p99 + " " + first + " " + last;
	}

	/**
	 * serving-api's answer in the form of {@link #run}'s.
	 * @param body the JSON body
	 */
	List<String> fromJson(com.fasterxml.jackson.databind.JsonNode body) {
		List<String> answer = new ArrayList<>();
		if (this.top) {
			for (var entry : body.get("sensors")) {
				answer.add(entry.get("sensorId").asText() + " " + entry.get("value").asDouble() + " "
						+ entry.get("windows").asInt());
			}
			return answer;
		}
		for (var window : body.get("aggregates")) {
			answer.add(series(Instant.parse(window.at("/window/start").asText()).toEpochMilli(),
					window.get("count").asLong(), window.get("sum").asDouble(), window.get("min").asDouble(),
					window.get("max").asDouble(), window.get("avg").asDouble(), window.get("stddev").asDouble(),
					window.get("p50").asDouble(), window.get("p95").asDouble(), window.get("p99").asDouble(),
					window.get("firstValue").asDouble(), window.get("lastValue").asDouble()));
		}
		return answer;
	}

}
