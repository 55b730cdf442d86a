package io.millrace.alerting.silences;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.millrace.alerting.api.ApiException;
import io.millrace.alerting.audit.AdminChanges;
import io.millrace.alerting.catalog.CatalogDocuments;
import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.catalog.StoredCatalog;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.alerting.lifecycle.Silence;
import io.millrace.alerting.lifecycle.SilenceMatcher;
import io.millrace.alerting.lifecycle.SilenceState;
import io.millrace.alerting.lifecycle.SilenceValidator;
import io.millrace.alerting.lifecycle.Silences;
import io.millrace.storage.Precondition;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The silences API. A silence says who made it and why; deleting one expires it now
 * rather than forgetting it, so the listing keeps the record of what was silenced.
 */
@RestController
@RequestMapping(SilencesController.PATH)
class SilencesController {

	static final String PATH = "/api/v1/silences";

	private final CatalogDocuments documents;

	private final Clock clock = Clock.systemUTC();

	private final AdminChanges changes;

	SilencesController(StoredCatalog catalog, AdminChanges changes) {
		this.documents = catalog.documents();
		this.changes = changes;
	}

	/** Active first, then pending, then expired; one state with {@code ?state=}. */
	@GetMapping
	List<SilenceView> list(@RequestParam(required = false) String state) {
		Silences silences = new Silences();
		silences.replaceAll(this.documents.list(Kind.SILENCES).stream().map(Versioned::value).toList());
		return silences.list(this.clock.instant())
			.stream()
			.filter((listed) -> state == null || listed.state().json().equalsIgnoreCase(state))
			.map((listed) -> SilenceView.of(listed.silence(), listed.state()))
			.toList();
	}

	@GetMapping("/{id}")
	SilenceView get(@PathVariable String id) {
		return view(this.documents.get(Kind.SILENCES, id).orElseThrow(() -> notFound(id)).value());
	}

	/**
	 * The id is assigned; {@code startsAt} defaults to now, {@code createdBy} to the
	 * caller.
	 */
	@PostMapping
	ResponseEntity<SilenceView> create(@RequestBody SilenceRequest request, Principal caller) {
		Instant now = this.clock.instant();
		String createdBy = (request.createdBy() != null) ? request.createdBy()
				: (caller != null) ? caller.getName() : null;
		Silence silence = new Silence(UUID.randomUUID().toString(), request.matchers(),
				(request.startsAt() != null) ? request.startsAt() : now, request.endsAt(), createdBy,
				request.comment());
		List<FieldError> errors = SilenceValidator.validate(silence);
		if (!errors.isEmpty()) {
			throw ApiException.invalid("silence", errors);
		}
		this.documents.put(Kind.SILENCES, silence.id(), silence, Precondition.absent());
		this.changes.created("silence", silence.id(), view(silence));
		return ResponseEntity.created(URI.create(PATH + "/" + silence.id())).body(view(silence));
	}

	/** Expire now; the silence stays listed, as expired. */
	@DeleteMapping("/{id}")
	SilenceView expire(@PathVariable String id) {
		Versioned<Silence> current = this.documents.get(Kind.SILENCES, id).orElseThrow(() -> notFound(id));
		Silence expired = current.value().expiredAt(this.clock.instant());
		if (!expired.equals(current.value())) {
			this.documents.put(Kind.SILENCES, id, expired, Precondition.matches(current.version()));
			this.changes.changed("silence", "expired", id, view(current.value()), view(expired), null);
		}
		return view(expired);
	}

	private SilenceView view(Silence silence) {
		return SilenceView.of(silence, silence.stateAt(this.clock.instant()));
	}

	private static ApiException notFound(String id) {
		return ApiException.notFound("Silence " + id);
	}

	/**
	 * A new silence.
	 *
	 * @param matchers conditions on the alerts' labels, all of which must hold
	 * @param startsAt when it starts; now when absent
	 * @param endsAt when it ends
	 * @param createdBy who makes it; the caller's name when absent
	 * @param comment why
	 */
	record SilenceRequest(List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
			String comment) {
	}

	/**
	 * A silence as listed.
	 *
	 * @param id its id
	 * @param state active, pending or expired, now
	 * @param matchers its matchers
	 * @param startsAt when it starts
	 * @param endsAt when it ends
	 * @param createdBy who made it
	 * @param comment why
	 */
	record SilenceView(String id, SilenceState state, List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt,
			String createdBy, String comment) {

		static SilenceView of(Silence silence, SilenceState state) {
			return new SilenceView(silence.id(), state, silence.matchers(), silence.startsAt(), silence.endsAt(),
					silence.createdBy(), silence.comment());
		}

	}

}
