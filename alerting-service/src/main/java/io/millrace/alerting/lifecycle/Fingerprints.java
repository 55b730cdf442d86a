package io.millrace.alerting.lifecycle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import io.millrace.model.alert.AlertStatus;

/**
 * The identities of alerts, derived from their content alone: no clock and no random ids,
 * so that re-processing the same input after a crash yields the same events, which
 * downstream dedupe (and the runtime's exactly-once) rely on.
 */
public final class Fingerprints {

	private Fingerprints() {
	}

	/**
	 * Identity of one rule + sensor + metric, the same as the first evaluator's.
	 * @return the first 32 hex digits of SHA-256(ruleId \0 sensorId \0 metric)
	 */
	public static String fingerprint(String ruleId, String sensorId, String metric) {
		return sha256Hex(ruleId + "\u0000" + sensorId + "\u0000" + metric);
	}

	/**
	 * Identity of one lifecycle event: an alert episode (fingerprint + when it started)
	 * fires once and resolves once, so the status completes the key.
	 * @return the first 32 hex digits of SHA-256(fingerprint \0 startsAt \0 status)
	 */
	public static String alertId(String fingerprint, Instant startsAt, AlertStatus status) {
		return sha256Hex(fingerprint + "\u0000" + startsAt.toEpochMilli() + "\u0000" + status.name());
	}

	/**
	 * A short stable hash of a text, for definition hashes.
	 * @return the first 32 hex digits of SHA-256(text)
	 */
	static String sha256Hex(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

}
