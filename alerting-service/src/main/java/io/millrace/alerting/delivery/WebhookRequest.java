package io.millrace.alerting.delivery;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.millrace.alerting.delivery.signing.WebhookSecret;

/**
 * One notification to post to one subscription; the same object for every attempt.
 *
 * @param url the subscription's URL
 * @param notificationId the notification id: the {@code webhook-id} of every attempt
 * @param body the exact bytes to post (already in the subscription's payload format)
 * @param contentType the body's media type
 * @param customHeaders the subscription's own headers (for example an API key of the
 * receiver); may not name a {@link #RESERVED_HEADERS reserved header}
 * @param secrets the subscription's active signing secrets, newest first
 */
public record WebhookRequest(URI url, String notificationId, byte[] body, String contentType,
		Map<String, String> customHeaders, List<WebhookSecret> secrets) {

	/**
	 * Headers a subscription may not set: the signature's, and those that frame the
	 * request (letting them be overridden would break signing or request smuggling
	 * defences).
	 */
	public static final Set<String> RESERVED_HEADERS = Set.of("webhook-id", "webhook-timestamp", "webhook-signature",
			"host", "content-type", "content-length", "transfer-encoding", "connection", "user-agent", "expect",
			"upgrade", "te", "trailer", "keep-alive", "proxy-authorization", "proxy-connection");

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	public WebhookRequest {
		customHeaders = Map.copyOf(customHeaders);
		secrets = List.copyOf(secrets);
		customHeaders.forEach((name, value) -> {
			if (!TOKEN.matcher(name).matches()) {
				throw new IllegalArgumentException("Header name " + name + " is not an HTTP token");
			}
			if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException("Header " + name + " is set by delivery and cannot be customised");
			}
			// A line break in a value would let a subscription add headers of its own
			// choosing, or a second request, to what we send.
			if (value.chars().anyMatch((c) -> c == '\r' || c == '\n' || c == 0)) {
				throw new IllegalArgumentException("Header " + name + " has a line break or NUL in its value");
			}
		});
	}

}
