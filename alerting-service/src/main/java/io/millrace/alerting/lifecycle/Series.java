package io.millrace.alerting.lifecycle;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.alert.AlertEvent;
import io.millrace.model.json.MillraceJson;

/**
 * The lifecycle state of one rule + sensor + metric, and the memory its condition needs
 * (the previous window for rate of change, the last windows for anomaly). Times are epoch
 * milliseconds; {@link #NONE} marks one not known yet.
 */
final class Series {

	static final long NONE = Long.MIN_VALUE;

	final String ruleId;

	final String sensorId;

	final String metric;

	/** The definition of the rule this state was built under; another one retires it. */
	final String ruleHash;

	AlertState phase = AlertState.INACTIVE;

	/** When the condition started holding: the alert's startsAt. */
	long since = NONE;

	/** Event time the condition (or its resolve side) last held, for keepFiringFor. */
	long lastHeldAt = NONE;

	/** Event time of the last window end or reading evaluated: older ones are replays. */
	long lastEvaluated = NONE;

	/** Processing time of the last input, for absence and no data. */
	long lastReceived = NONE;

	/** No data was handled since the last input: do it once per gap, not every tick. */
	boolean noDataHandled;

	/**
	 * Firing because of no data: the next window decides at once, without keepFiringFor.
	 */
	boolean firingOnNoData;

	double lastValue = Double.NaN;

	/** The statistic of the previous window (rate of change); NaN before one. */
	double previous = Double.NaN;

	/** The statistic of the last windows, oldest first (anomaly). */
	final Deque<Double> history = new ArrayDeque<>();

	AggregateWindow lastWindow;

	/** The firing event while firing: the resolved event repeats its identity. */
	AlertEvent firing;

	Series(String ruleId, String sensorId, String metric, String ruleHash) {
		this.ruleId = ruleId;
		this.sensorId = sensorId;
		this.metric = metric;
		this.ruleHash = ruleHash;
	}

	String fingerprint() {
		return Fingerprints.fingerprint(this.ruleId, this.sensorId, this.metric);
	}

	static String key(String ruleId, String sensorId, String metric) {
		return ruleId + "\u0000" + sensorId + "\u0000" + metric;
	}

	void writeTo(DataOutput out) throws IOException {
		out.writeUTF(this.ruleId);
		out.writeUTF(this.sensorId);
		out.writeUTF(this.metric);
		out.writeUTF(this.ruleHash);
		out.writeByte(this.phase.ordinal());
		out.writeLong(this.since);
		out.writeLong(this.lastHeldAt);
		out.writeLong(this.lastEvaluated);
		out.writeLong(this.lastReceived);
		out.writeBoolean(this.noDataHandled);
		out.writeBoolean(this.firingOnNoData);
		out.writeDouble(this.lastValue);
		out.writeDouble(this.previous);
		out.writeInt(this.history.size());
		for (double value : this.history) {
			out.writeDouble(value);
		}
		writeJson(out, this.lastWindow);
		writeJson(out, this.firing);
	}

	static Series readFrom(DataInput in) throws IOException {
		Series series = new Series(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
		series.phase = AlertState.values()[in.readByte()];
		series.since = in.readLong();
		series.lastHeldAt = in.readLong();
		series.lastEvaluated = in.readLong();
		series.lastReceived = in.readLong();
		series.noDataHandled = in.readBoolean();
		series.firingOnNoData = in.readBoolean();
		series.lastValue = in.readDouble();
		series.previous = in.readDouble();
		int size = in.readInt();
		for (int i = 0; i < size; i++) {
			series.history.addLast(in.readDouble());
		}
		series.lastWindow = readJson(in, AggregateWindow.class);
		series.firing = readJson(in, AlertEvent.class);
		return series;
	}

	/**
	 * The contract objects as their canonical JSON: it round-trips them exactly and
	 * writes the same bytes for the same object.
	 */
	private static void writeJson(DataOutput out, Object value) throws IOException {
		if (value == null) {
			out.writeInt(-1);
			return;
		}
		byte[] json = MillraceJson.bytes(value);
		out.writeInt(json.length);
		out.write(json);
	}

	private static <T> T readJson(DataInput in, Class<T> type) throws IOException {
		int length = in.readInt();
		if (length < 0) {
			return null;
		}
		byte[] json = new byte[length];
		in.readFully(json);
		ObjectMapper mapper = MillraceJson.mapper();
		return mapper.readValue(json, type);
	}

}
