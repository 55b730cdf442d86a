package io.millrace.alerting.subscriptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.millrace.alerting.api.ApiException;
import io.millrace.alerting.catalog.ConfiguredDefinitions;
import io.millrace.alerting.catalog.SubscriptionFilters;
import io.millrace.alerting.delivery.WebhookRequest;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.delivery.target.TargetRefusedException;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.alerting.lifecycle.RuleValidator;

/**
 * A subscription as a client creates or replaces it: never its secret, which the service
 * makes.
 *
 * @param id its id on creation; one is made when absent (ignored on replace, where the
 * path names it)
 * @param url where notifications are POSTed
 * @param format {@code millrace} (default), {@code cloudevents} or {@code alertmanager}
 * @param headers headers of its own (not the signature's or framing headers)
 * @param filters which alerts it receives; all when absent
 */
record SubscriptionRequest(String id, String url, String format, Map<String, String> headers,
		SubscriptionFilters filters) {

	SubscriptionRequest {
		format = (format != null) ? format : "millrace";
		headers = (headers != null) ? headers : Map.of();
		filters = (filters != null) ? filters : SubscriptionFilters.none();
	}

	/**
	 * Check every field, then the URL against the delivery's SSRF guard, as the sender
	 * will before each attempt.
	 * @param guard the guard
	 * @param checkId whether the id is the client's to choose (creation)
	 * @return the URL
	 * @throws ApiException 400, naming the fields or why the URL is refused
	 */
	URI validate(DeliveryTargetGuard guard, boolean checkId) {
		List<FieldError> errors = new ArrayList<>();
		if (checkId && this.id != null && !RuleValidator.isValidId(this.id)) {
			errors.add(new FieldError("/id", "must be 1 to 128 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit; leave it out to get one"));
		}
		URI uri = null;
		if (this.url == null || this.url.isBlank()) {
			errors.add(new FieldError("/url", "is required: the https URL notifications are POSTed to"));
		}
		else {
			try {
				uri = new URI(this.url.trim());
			}
			catch (URISyntaxException ex) {
				errors.add(new FieldError("/url", "is not a URL: " + ex.getMessage()));
			}
		}
		try {
			ConfiguredDefinitions.format(this.format);
		}
		catch (IllegalArgumentException ex) {
			errors.add(new FieldError("/format", ex.getMessage()));
		}
		this.headers.forEach((name, value) -> {
			if (value == null) {
				errors.add(new FieldError("/headers/" + pointer(name), "needs a value"));
				return;
			}
			try {
				// The request's own checks: what delivery would refuse later is refused
				// now.
				new WebhookRequest(URI.create("https://example.invalid/"), "msg_check", new byte[0], "application/json",
						Map.of(name, value), List.of(WebhookSecret.generate()));
			}
			catch (IllegalArgumentException ex) {
				errors.add(new FieldError("/headers/" + pointer(name), ex.getMessage()));
			}
		});
		if (!errors.isEmpty()) {
			throw ApiException.invalid("subscription", errors);
		}
		try {
			guard.check(uri);
		}
		catch (TargetRefusedException ex) {
			throw ApiException.targetRefused(ex.reason().name(), ex.getMessage());
		}
		return uri;
	}

	/**
	 * A subscription's id made by the service.
	 * @return {@code sub-} and a random UUID
	 */
	static String newId() {
		return "sub-" + UUID.randomUUID();
	}

	private static String pointer(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

}
