package io.millrace.alerting.delivery.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests as <a href="https://www.standardwebhooks.com/">Standard
 * Webhooks</a> does: HMAC-SHA256 over {@code id.timestamp.body}, sent as
 * {@code webhook-signature: v1,<base64>}. With more than one active secret (a rotation's
 * overlap) every signature is sent, space-separated, so a receiver that still holds the
 * old secret and one that already holds the new one both accept the request.
 */
public final class WebhookSigner {

	/** The message id, the same on every retry of one notification. */
	public static final String ID_HEADER = "webhook-id";

	/** Unix seconds at signing; receivers refuse old timestamps to stop replays. */
	public static final String TIMESTAMP_HEADER = "webhook-timestamp";

	/** Space-separated {@code v1,<base64>} signatures. */
	public static final String SIGNATURE_HEADER = "webhook-signature";

	private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
		try {
			return Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			// Every Java runtime ships HmacSHA256; this is a broken JDK, not a bad input.
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	});

	/**
	 * The three signature headers of one request.
	 * @param messageId the notification id, stable across retries
	 * @param timestamp when this attempt is signed
	 * @param body the exact bytes posted
	 * @param secrets the subscription's active secrets, newest first
	 * @return the headers, by name, in the order above
	 */
	public Map<String, String> headers(String messageId, Instant timestamp, byte[] body, List<WebhookSecret> secrets) {
		if (secrets.isEmpty()) {
			throw new IllegalArgumentException("A subscription needs at least one secret to sign with");
		}
		if (messageId.contains(".")) {
			// The signed content is id.timestamp.body: a dot in the id would make it
			// ambiguous.
			throw new IllegalArgumentException("A webhook id may not contain '.'");
		}
		long seconds = timestamp.getEpochSecond();
		StringJoiner signatures = new StringJoiner(" ");
		for (WebhookSecret secret : secrets) {
			signatures.add("v1," + signature(secret, messageId, seconds, body));
		}
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(ID_HEADER, messageId);
		headers.put(TIMESTAMP_HEADER, Long.toString(seconds));
		headers.put(SIGNATURE_HEADER, signatures.toString());
		return headers;
	}

	private static String signature(WebhookSecret secret, String messageId, long seconds, byte[] body) {
		try {
			// One Mac per thread, not one per signature: looking the algorithm up
			// through the providers costs more than the HMAC of a small body.
			Mac mac = MACS.get();
			mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
			mac.update((messageId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			// Every Java runtime ships HmacSHA256; this is a broken JDK, not a bad input.
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
