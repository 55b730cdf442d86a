package io.millrace.alerting.delivery.signing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A Standard Webhooks signing secret, {@code whsec_} followed by the base64 of the key
 * bytes. The subscription API shows it once, at creation or rotation; afterwards only the
 * delivery code reads it.
 */
public final class WebhookSecret {

	/** The prefix Standard Webhooks libraries strip before decoding the key. */
	public static final String PREFIX = "whsec_";

	private static final int KEY_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String value;

	private final byte[] key;

	private WebhookSecret(String value, byte[] key) {
		this.value = value;
		this.key = key;
	}

	/**
	 * A new secret of 32 random bytes from {@link SecureRandom}.
	 * @return the secret
	 */
	public static WebhookSecret generate() {
		byte[] key = new byte[KEY_BYTES];
		RANDOM.nextBytes(key);
		return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key), key);
	}

	/**
	 * A stored secret read back.
	 * @param value {@code whsec_<base64>}
	 * @return the secret
	 * @throws IllegalArgumentException if the value is not a {@code whsec_} secret
	 */
	public static WebhookSecret of(String value) {
		Objects.requireNonNull(value, "value");
		if (!value.startsWith(PREFIX)) {
			throw new IllegalArgumentException("A webhook secret starts with " + PREFIX);
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A webhook secret is " + PREFIX + " followed by base64", ex);
		}
		if (key.length < 24) {
			// Standard Webhooks asks for 24 to 64 bytes; shorter keys are guessable.
			throw new IllegalArgumentException("A webhook secret needs at least 24 key bytes");
		}
		return new WebhookSecret(value, key);
	}

	/**
	 * The secret as the receiver configures it.
	 * @return {@code whsec_<base64>}
	 */
	public String value() {
		return this.value;
	}

	byte[] key() {
		return this.key.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof WebhookSecret secret && secret.value.equals(this.value);
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	/** Never the secret itself: these objects end up in logs and exception messages. */
	@Override
	public String toString() {
		return PREFIX + "…";
	}

}
