package io.millrace.alerting.catalog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the subscriptions' signing secrets in the catalog documents (AES-256-GCM), so
 * that whoever can read the store — a storage account's reader, a backup, a copied volume
 * — does not get secrets that let them forge notifications. Each sealed value names its
 * key, so keys rotate: the first key seals, every listed key opens, and a document is
 * sealed again with the first key whenever it is next written. The subscription's id is
 * authenticated with it, so a sealed secret copied into another document does not open
 * there. With no key configured (the local run) secrets are stored as they are.
 */
public final class SecretSealing {

	private static final String PREFIX = "sealed:v1:";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final Map<String, SecretKey> keys;

	private final String sealingKeyId;

	private final SecureRandom random = new SecureRandom();

	private SecretSealing(Map<String, SecretKey> keys, String sealingKeyId) {
		this.keys = keys;
		this.sealingKeyId = sealingKeyId;
	}

	/**
	 * @return sealing that stores secrets as they are and opens none
	 */
	public static SecretSealing none() {
		return new SecretSealing(Map.of(), null);
	}

	/**
	 * @param keys the keys by id, the sealing key first; each 32 bytes, Base64
	 * @return the sealing
	 * @throws IllegalArgumentException for a key that is not 32 bytes of Base64 or an id
	 * that is blank or holds {@code :} (without printing the key)
	 */
	public static SecretSealing withKeys(List<Key> keys) {
		if (keys.isEmpty()) {
			return none();
		}
		Map<String, SecretKey> byId = new LinkedHashMap<>();
		for (Key key : keys) {
			if (key.id() == null || key.id().isBlank() || key.id().contains(":")) {
				throw new IllegalArgumentException("A secret key id must be set and hold no ':' (" + key.id() + ")");
			}
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(key.key());
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				throw new IllegalArgumentException("Secret key " + key.id() + " is not Base64");
			}
			if (bytes.length != 32) {
				throw new IllegalArgumentException(
						"Secret key " + key.id() + " must be 32 bytes (AES-256), not " + bytes.length);
			}
			if (byId.put(key.id(), new SecretKeySpec(bytes, "AES")) != null) {
				throw new IllegalArgumentException("Secret key id " + key.id() + " is listed twice");
			}
		}
		return new SecretSealing(byId, keys.get(0).id());
	}

	/**
	 * @return whether secrets are sealed when written
	 */
	public boolean seals() {
		return this.sealingKeyId != null;
	}

	/**
	 * @param secret a secret, or {@code null}
	 * @param owner what the secret belongs to (authenticated, not encrypted)
	 * @return the value to store
	 */
	public String seal(String secret, String owner) {
		if (secret == null || !seals()) {
			return secret;
		}
		try {
			byte[] nonce = new byte[NONCE_BYTES];
			this.random.nextBytes(nonce);
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.get(this.sealingKeyId), nonce, owner);
			byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
			byte[] stored = new byte[NONCE_BYTES + sealed.length];
			System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
			System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
			return PREFIX + this.sealingKeyId + ":" + Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot seal a secret", ex);
		}
	}

	/**
	 * @param stored a stored value: sealed, or a secret stored as it is
	 * @param owner what the secret belongs to, as when it was sealed
	 * @return the secret
	 * @throws IllegalArgumentException if it names a key that is not configured, or does
	 * not open with it (tampered, or moved from another document)
	 */
	public String open(String stored, String owner) {
		if (stored == null || !stored.startsWith(PREFIX)) {
			return stored;
		}
		String rest = stored.substring(PREFIX.length());
		int colon = rest.indexOf(':');
		String keyId = (colon > 0) ? rest.substring(0, colon) : "";
		SecretKey key = this.keys.get(keyId);
		if (key == null) {
			throw new IllegalArgumentException("The secret of " + owner + " is sealed with key '" + keyId
					+ "', which is not configured (millrace.alerting.secret-keys)");
		}
		try {
			byte[] bytes = Base64.getDecoder().decode(rest.substring(colon + 1));
			byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, owner);
			return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalArgumentException("The sealed secret of " + owner + " does not open with key '" + keyId
					+ "': altered, or copied from another document");
		}
	}

	private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String owner) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
		cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
		return cipher;
	}

	/**
	 * One key.
	 *
	 * @param id its name, stored with each value it seals
	 * @param key 32 random bytes, Base64 ({@code head -c 32 /dev/urandom | base64})
	 */
	public record Key(String id, String key) {

		@Override
		public String toString() {
			return "Key[" + this.id + "]";
		}

	}

}
