package io.millrace.alerting.lifecycle;

import java.io.DataInput;
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

	private static final int PHASE = 0x03;

	private static final int NO_DATA_HANDLED = 0x04;

	private static final int FIRING_ON_NO_DATA = 0x08;

	private static final int HAS_HISTORY = 0x10;

	private static final int HAS_WINDOW = 0x20;

	private static final int HAS_FIRING = 0x40;

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

	/** A series of a version 1 snapshot (before {@link #writeCompact}). */
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
	 * The compact form of a checkpoint: the strings every series of a rule repeats by
	 * reference, booleans and which optional parts follow in one byte, and the optional
	 * parts (anomaly history, last window, firing event) only when present.
	 */
	void writeCompact(CompactOutput out) {
		out.writeRef(this.ruleId);
		out.writeString(this.sensorId);
		out.writeRef(this.metric);
		out.writeRef(this.ruleHash);
		int flags = this.phase.ordinal() | (this.noDataHandled ? NO_DATA_HANDLED : 0)
				| (this.firingOnNoData ? FIRING_ON_NO_DATA : 0) | (this.history.isEmpty() ? 0 : HAS_HISTORY)
				| ((this.lastWindow != null) ? HAS_WINDOW : 0) | ((this.firing != null) ? HAS_FIRING : 0);
		out.writeByte(flags);
		out.writeLong(this.since);
		out.writeLong(this.lastHeldAt);
		out.writeLong(this.lastEvaluated);
		out.writeLong(this.lastReceived);
		out.writeDouble(this.lastValue);
		out.writeDouble(this.previous);
		if (!this.history.isEmpty()) {
			out.writeVarInt(this.history.size());
			for (double value : this.history) {
				out.writeDouble(value);
			}
		}
		if (this.lastWindow != null) {
			out.writeBytes(MillraceJson.bytes(this.lastWindow));
		}
		if (this.firing != null) {
			out.writeBytes(MillraceJson.bytes(this.firing));
		}
	}

	static Series readCompact(CompactInput in) throws IOException {
		Series series = new Series(in.readRef(), in.readString(), in.readRef(), in.readRef());
		int flags = in.readByte();
		series.phase = AlertState.values()[flags & PHASE];
		series.noDataHandled = (flags & NO_DATA_HANDLED) != 0;
		series.firingOnNoData = (flags & FIRING_ON_NO_DATA) != 0;
		series.since = in.readLong();
		series.lastHeldAt = in.readLong();
		series.lastEvaluated = in.readLong();
		series.lastReceived = in.readLong();
		series.lastValue = in.readDouble();
		series.previous = in.readDouble();
		if ((flags & HAS_HISTORY) != 0) {
			int size = in.readVarInt();
			for (int i = 0; i < size; i++) {
				series.history.addLast(in.readDouble());
			}
		}
		ObjectMapper mapper = MillraceJson.mapper();
		if ((flags & HAS_WINDOW) != 0) {
			series.lastWindow = mapper.readValue(in.readBytes(), AggregateWindow.class);
		}
		if ((flags & HAS_FIRING) != 0) {
			series.firing = mapper.readValue(in.readBytes(), AlertEvent.class);
		}
		return series;
	}

	/** Version 1 wrote the contract objects as their canonical JSON, -1 for none. */
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
