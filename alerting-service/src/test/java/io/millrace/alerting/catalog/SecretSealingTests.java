package io.millrace.alerting.catalog;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SecretSealingTests {

	static final SecretSealing.Key OLD = new SecretSealing.Key("k2026a", key(1));

	static final SecretSealing.Key NEW = new SecretSealing.Key("k2026b", key(2));

	static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	@Test
	void aSealedSecretOpensForItsOwnerOnlyAndHidesTheSecret() {
		SecretSealing sealing = SecretSealing.withKeys(List.of(OLD));
		String sealed = sealing.seal(SECRET, "subscription/ops");

		assertThat(sealed).startsWith("sealed:v1:k2026a:").doesNotContain("whsec_").doesNotContain("MfKQ9r8");
		assertThat(sealing.seal(SECRET, "subscription/ops")).as("a new nonce each time").isNotEqualTo(sealed);
		assertThat(sealing.open(sealed, "subscription/ops")).isEqualTo(SECRET);
		assertThatIllegalArgumentException().isThrownBy(() -> sealing.open(sealed, "subscription/other"))
			.withMessageContaining("copied from another document");
		String tampered = sealed.substring(0, sealed.length() - 4) + "AAA=";
		assertThatIllegalArgumentException().isThrownBy(() -> sealing.open(tampered, "subscription/ops"));
	}

	@Test
	void keysRotateTheFirstSealsAndEveryListedKeyOpens() {
		String sealedWithOld = SecretSealing.withKeys(List.of(OLD)).seal(SECRET, "subscription/ops");
		SecretSealing rotated = SecretSealing.withKeys(List.of(NEW, OLD));

		assertThat(rotated.open(sealedWithOld, "subscription/ops")).isEqualTo(SECRET);
		assertThat(rotated.seal(SECRET, "subscription/ops")).startsWith("sealed:v1:k2026b:");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SecretSealing.withKeys(List.of(NEW)).open(sealedWithOld, "subscription/ops"))
			.withMessageContaining("key 'k2026a', which is not configured");
	}

	@Test
	void withoutKeysSecretsStayAsTheyAreAndPlainStoredSecretsStillOpen() {
		assertThat(SecretSealing.none().seals()).isFalse();
		assertThat(SecretSealing.none().seal(SECRET, "subscription/ops")).isEqualTo(SECRET);
		assertThat(SecretSealing.withKeys(List.of(OLD)).open(SECRET, "subscription/ops"))
			.as("stored before keys were configured")
			.isEqualTo(SECRET);
		assertThat(SecretSealing.withKeys(List.of(OLD)).seal(null, "subscription/ops")).isNull();
	}

	@Test
	void badKeysAreRefusedWithoutPrintingThem() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SecretSealing.withKeys(List.of(new SecretSealing.Key("short", "c2hvcnQ="))))
			.withMessageContaining("must be 32 bytes")
			.withMessageNotContaining("c2hvcnQ=");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SecretSealing.withKeys(List.of(new SecretSealing.Key("a:b", key(1)))));
		assertThatIllegalArgumentException().isThrownBy(() -> SecretSealing.withKeys(List.of(OLD, OLD)));
		assertThat(OLD.toString()).doesNotContain(OLD.key());
	}

	private static String key(int fill) {
		byte[] bytes = new byte[32];
		java.util.Arrays.fill(bytes, (byte) fill);
		return Base64.getEncoder().encodeToString(bytes);
	}

}
