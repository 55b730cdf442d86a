package io.millrace.alerting.subscriptions;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.millrace.alerting.api.ApiException;
import io.millrace.alerting.audit.AdminChanges;
import io.millrace.alerting.api.ETags;
import io.millrace.alerting.catalog.CatalogDocuments;
import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.catalog.StoredCatalog;
import io.millrace.alerting.catalog.Subscription;
import io.millrace.alerting.catalog.SubscriptionDocument;
import io.millrace.alerting.catalog.SubscriptionState;
import io.millrace.alerting.delivery.signing.WebhookSecret;
import io.millrace.alerting.delivery.target.DeliveryTargetGuard;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook subscriptions API. The service makes each subscription's signing secret and
 * shows it once, in the answer that made it; rotating keeps the previous secret for an
 * overlap, during which every delivery carries both signatures. Subscriptions that
 * configuration defines are listed, read-only, with {@code "source":"configuration"}.
 */
@RestController
@RequestMapping(SubscriptionsController.PATH)
class SubscriptionsController {

	static final String PATH = "/api/v1/subscriptions";

	private static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);

	private static final String AUDITED = "subscription";

	private final StoredCatalog catalog;

	private final CatalogDocuments documents;

	private final DeliveryTargetGuard guard;

	private final Clock clock = Clock.systemUTC();

	private final AdminChanges changes;

	SubscriptionsController(StoredCatalog catalog, DeliveryTargetGuard guard, AdminChanges changes) {
		this.catalog = catalog;
		this.documents = catalog.documents();
		this.guard = guard;
		this.changes = changes;
	}

	@GetMapping
	List<SubscriptionView> list() {
		List<SubscriptionView> views = new ArrayList<>();
		this.catalog.configuredSubscriptions().forEach((s) -> views.add(SubscriptionView.configured(s)));
		this.documents.list(Kind.SUBSCRIPTIONS)
			.stream()
			.filter((document) -> this.catalog.configuredSubscription(document.value().id()).isEmpty())
			.forEach((document) -> views.add(SubscriptionView.of(document.value())));
		return views;
	}

	@GetMapping("/{id}")
	ResponseEntity<SubscriptionView> get(@PathVariable String id) {
		Optional<Subscription> configured = this.catalog.configuredSubscription(id);
		if (configured.isPresent()) {
			return ResponseEntity.ok(SubscriptionView.configured(configured.get()));
		}
		return answer(stored(id));
	}

	@PostMapping
	ResponseEntity<SubscriptionView> create(@RequestBody SubscriptionRequest request) {
		URI url = request.validate(this.guard, true);
		String id = (request.id() != null) ? request.id() : SubscriptionRequest.newId();
		if (this.catalog.configuredSubscription(id).isPresent()) {
			throw ApiException.alreadyExists(what(id));
		}
		WebhookSecret secret = WebhookSecret.generate();
		SubscriptionDocument document = new SubscriptionDocument(id, url, request.format(), secret.value(), null, null,
				request.headers(), request.filters(), this.clock.instant(), null, null);
		Versioned<SubscriptionDocument> written;
		try {
			written = this.documents.put(Kind.SUBSCRIPTIONS, id, document, Precondition.absent());
		}
		catch (PreconditionFailedException ex) {
			throw ApiException.alreadyExists(what(id));
		}
		this.changes.created(AUDITED, id, SubscriptionView.of(written.value()));
		return ResponseEntity.created(URI.create(PATH + "/" + id))
			.eTag(ETags.of(written.version()))
			.body(SubscriptionView.of(document).withSecret(secret.value()));
	}

	/** Change the URL, format, headers and filters; not the id, secret or state. */
	@PutMapping("/{id}")
	ResponseEntity<SubscriptionView> replace(@PathVariable String id, @RequestBody SubscriptionRequest request,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Versioned<SubscriptionDocument> current = changeable(id);
		Precondition precondition = ETags.require(ifMatch, current, what(id));
		URI url = request.validate(this.guard, false);
		Versioned<SubscriptionDocument> written = this.documents.put(Kind.SUBSCRIPTIONS, id,
				current.value().withSettings(url, request.format(), request.headers(), request.filters()),
				precondition);
		this.changes.updated(AUDITED, id, SubscriptionView.of(current.value()), SubscriptionView.of(written.value()));
		return answer(written);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Versioned<SubscriptionDocument> current = changeable(id);
		this.documents.delete(Kind.SUBSCRIPTIONS, id, ETags.require(ifMatch, current, what(id)));
		this.changes.deleted(AUDITED, id, SubscriptionView.of(current.value()));
		return ResponseEntity.noContent().build();
	}

	/**
	 * A new secret, shown once; the previous one signs too until the overlap ends, so
	 * receivers can switch without losing a notification.
	 */
	@PostMapping("/{id}/secret")
	ResponseEntity<SubscriptionView> rotate(@PathVariable String id,
			@RequestBody(required = false) RotateRequest request,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Duration overlap = (request != null && request.overlap() != null) ? request.overlap() : DEFAULT_OVERLAP;
		if (overlap.isNegative()) {
			throw ApiException.invalid("rotation", List.of(new FieldError("/overlap", "must not be negative")));
		}
		Versioned<SubscriptionDocument> current = changeable(id);
		// If-Match is optional here: a rotation takes nothing from what the client read.
		Precondition precondition = (ifMatch != null) ? ETags.require(ifMatch, current, what(id))
				: Precondition.matches(current.version());
		WebhookSecret next = WebhookSecret.generate();
		Versioned<SubscriptionDocument> written = this.documents.put(Kind.SUBSCRIPTIONS, id,
				current.value().rotated(next, this.clock.instant().plus(overlap)), precondition);
		// The views hold no secret: the entry says that it rotated and until when both
		// sign.
		this.changes.changed(AUDITED, "secret-rotated", id, SubscriptionView.of(current.value()),
				SubscriptionView.of(written.value()), null);
		return ResponseEntity.ok()
			.eTag(ETags.of(written.version()))
			.body(SubscriptionView.of(written.value()).withSecret(next.value()));
	}

	/** Deliver to a disabled subscription again (its receiver is fixed). */
	@PostMapping("/{id}/enable")
	ResponseEntity<SubscriptionView> enable(@PathVariable String id) {
		if (this.catalog.configuredSubscription(id).isPresent()) {
			Optional<Versioned<SubscriptionState>> state = this.documents.get(Kind.SUBSCRIPTION_STATES, id);
			if (state.isPresent()) {
				this.documents.delete(Kind.SUBSCRIPTION_STATES, id, Precondition.matches(state.get().version()));
				this.changes.changed(AUDITED, "enabled", id, null, null, state.get().value());
			}
			return ResponseEntity
				.ok(SubscriptionView.configured(this.catalog.configuredSubscription(id).orElseThrow()));
		}
		Versioned<SubscriptionDocument> current = stored(id);
		if (current.value().disabledAt() == null) {
			return answer(current);
		}
		Versioned<SubscriptionDocument> written = this.documents.put(Kind.SUBSCRIPTIONS, id,
				current.value().withDisabled(null, null), Precondition.matches(current.version()));
		this.changes.changed(AUDITED, "enabled", id, SubscriptionView.of(current.value()),
				SubscriptionView.of(written.value()), null);
		return answer(written);
	}

	private Versioned<SubscriptionDocument> changeable(String id) {
		if (this.catalog.configuredSubscription(id).isPresent()) {
			throw ApiException.configured(what(id));
		}
		return stored(id);
	}

	private Versioned<SubscriptionDocument> stored(String id) {
		return this.documents.get(Kind.SUBSCRIPTIONS, id).orElseThrow(() -> ApiException.notFound(what(id)));
	}

	private static ResponseEntity<SubscriptionView> answer(Versioned<SubscriptionDocument> document) {
		return ResponseEntity.ok().eTag(ETags.of(document.version())).body(SubscriptionView.of(document.value()));
	}

	private static String what(String id) {
		return "Subscription " + id;
	}

	/**
	 * A secret rotation.
	 *
	 * @param overlap how long the previous secret still signs (ISO-8601, default
	 * {@code PT24H}); {@code PT0S} stops it at once
	 */
	record RotateRequest(Duration overlap) {
	}

}
