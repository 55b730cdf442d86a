package io.millrace.alerting.delivery.signing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Our signatures, checked by the Standard Webhooks reference library, not by our code.
 */
class WebhookSignerTests {

	private final WebhookSigner signer = new WebhookSigner();

	private final String body = "{\"alertId\":\"a-1\",\"status\":\"firing\",\"note\":\"Grüße\"}";

	@Test
	void generatedSecretsAre32RandomBytesWithTheWhsecPrefix() {
		WebhookSecret one = WebhookSecret.generate();
		WebhookSecret two = WebhookSecret.generate();
		assertThat(one.value()).startsWith("whsec_");
		assertThat(Base64.getDecoder().decode(one.value().substring(6))).hasSize(32);
		assertThat(one).isNotEqualTo(two);
		assertThat(WebhookSecret.of(one.value())).isEqualTo(one);
		assertThat(one.toString()).doesNotContain(one.value().substring(6));
	}

	@Test
	void theReferenceLibraryAcceptsOurSignature() throws Exception {
		WebhookSecret secret = WebhookSecret.generate();
		Map<String, String> headers = this.signer.headers("msg_2Lc3kX", Instant.now(), bytes(), List.of(secret));

		assertThat(headers).containsEntry("webhook-id", "msg_2Lc3kX");
		assertThat(headers.get("webhook-signature")).startsWith("v1,");
		new Webhook(secret.value()).verify(this.body, asHttpHeaders(headers));
	}

	@Test
	void theReferenceLibraryRejectsAnotherSecretOrAChangedBody() {
		Map<String, String> headers = this.signer.headers("msg_1", Instant.now(), bytes(),
				List.of(WebhookSecret.generate()));
		assertThatExceptionOfType(WebhookVerificationException.class)
			.isThrownBy(() -> new Webhook(WebhookSecret.generate().value()).verify(this.body, asHttpHeaders(headers)));
	}

	@Test
	void duringRotationBothSecretsVerify() throws Exception {
		WebhookSecret next = WebhookSecret.generate();
		WebhookSecret previous = WebhookSecret.generate();
		Map<String, String> headers = this.signer.headers("msg_rot", Instant.now(), bytes(), List.of(next, previous));

		assertThat(headers.get("webhook-signature").split(" ")).hasSize(2).allMatch((s) -> s.startsWith("v1,"));
		new Webhook(next.value()).verify(this.body, asHttpHeaders(headers));
		new Webhook(previous.value()).verify(this.body, asHttpHeaders(headers));
	}

	@Test
	void matchesTheReferenceLibrarysOwnSignatureExactly() throws Exception {
		WebhookSecret secret = WebhookSecret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
		Instant at = Instant.ofEpochSecond(1614265330);
		Map<String, String> headers = this.signer.headers("msg_p5jXN8AQM9LWM0D4loKWxJek", at, bytes(), List.of(secret));
		assertThat(headers.get("webhook-signature")).isEqualTo(
				new Webhook(secret.value()).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at.getEpochSecond(), this.body));
		assertThat(headers).containsEntry("webhook-timestamp", "1614265330");
	}

	@Test
	void refusesBadSecretsAndIds() {
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookSecret.of("sk_abc"));
		assertThatIllegalArgumentException().isThrownBy(() -> WebhookSecret.of("whsec_c2hvcnQ="));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.signer.headers("a.b", Instant.now(), bytes(), List.of(WebhookSecret.generate())));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.signer.headers("a", Instant.now(), bytes(), List.of()));
	}

	private byte[] bytes() {
		return this.body.getBytes(StandardCharsets.UTF_8);
	}

	static Map<String, List<String>> asHttpHeaders(Map<String, String> headers) {
		return headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, (e) -> List.of(e.getValue())));
	}

}
