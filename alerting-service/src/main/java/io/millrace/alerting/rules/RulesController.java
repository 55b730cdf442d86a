package io.millrace.alerting.rules;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.millrace.alerting.api.ApiException;
import io.millrace.alerting.audit.AdminChanges;
import io.millrace.alerting.api.ETags;
import io.millrace.alerting.catalog.CatalogDocuments;
import io.millrace.alerting.catalog.CatalogDocuments.Kind;
import io.millrace.alerting.catalog.CatalogDocuments.Versioned;
import io.millrace.alerting.catalog.StoredCatalog;
import io.millrace.alerting.lifecycle.FieldError;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.RuleValidator;
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
 * The rules API: rules stored through the storage port, every change conditional on the
 * version the client read ({@code ETag} / {@code If-Match}). A change reaches this
 * replica's evaluation when the call returns and every other replica's within
 * {@code millrace.alerting.catalog.refresh-interval}.
 */
@RestController
@RequestMapping(RulesController.PATH)
class RulesController {

	static final String PATH = "/api/v1/rules";

	private static final String AUDITED = "rule";

	private final CatalogDocuments documents;

	private final AdminChanges changes;

	RulesController(StoredCatalog catalog, AdminChanges changes) {
		this.documents = catalog.documents();
		this.changes = changes;
	}

	@GetMapping
	List<Rule> list() {
		return this.documents.list(Kind.RULES).stream().map(Versioned::value).toList();
	}

	@GetMapping("/{id}")
	ResponseEntity<Rule> get(@PathVariable String id) {
		Versioned<Rule> rule = this.documents.get(Kind.RULES, id).orElseThrow(() -> notFound(id));
		return ResponseEntity.ok().eTag(ETags.of(rule.version())).body(rule.value());
	}

	@PostMapping
	ResponseEntity<Rule> create(@RequestBody Rule rule) {
		validate(rule);
		try {
			return created(this.documents.put(Kind.RULES, rule.id(), rule, Precondition.absent()));
		}
		catch (PreconditionFailedException ex) {
			throw ApiException.alreadyExists(what(rule.id()));
		}
	}

	/** Replace (with If-Match), or create when there is no such rule. */
	@PutMapping("/{id}")
	ResponseEntity<Rule> put(@PathVariable String id, @RequestBody Rule body,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		if (body.id() != null && !body.id().equals(id)) {
			throw ApiException.invalid("rule " + id,
					List.of(new FieldError("/id", "must be the id in the path (" + id + ") or left out")));
		}
		Rule rule = body.withId(id);
		validate(rule);
		Optional<Versioned<Rule>> current = this.documents.get(Kind.RULES, id);
		if (current.isEmpty()) {
			if (ifMatch != null) {
				// If-Match names a version of something that does not exist (any more).
				throw ApiException.preconditionFailed(what(id));
			}
			return created(this.documents.put(Kind.RULES, id, rule, Precondition.absent()));
		}
		Precondition precondition = ETags.require(ifMatch, current.get(), what(id));
		Versioned<Rule> written = this.documents.put(Kind.RULES, id, rule, precondition);
		this.changes.updated(AUDITED, id, current.get().value(), written.value());
		return ResponseEntity.ok().eTag(ETags.of(written.version())).body(written.value());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Versioned<Rule> current = this.documents.get(Kind.RULES, id).orElseThrow(() -> notFound(id));
		this.documents.delete(Kind.RULES, id, ETags.require(ifMatch, current, what(id)));
		this.changes.deleted(AUDITED, id, current.value());
		return ResponseEntity.noContent().build();
	}

	private static void validate(Rule rule) {
		List<FieldError> errors = RuleValidator.validate(rule);
		if (!errors.isEmpty()) {
			throw ApiException.invalid((rule.id() != null) ? "rule " + rule.id() : "rule", errors);
		}
	}

	private ResponseEntity<Rule> created(Versioned<Rule> rule) {
		this.changes.created(AUDITED, rule.value().id(), rule.value());
		return ResponseEntity.created(URI.create(PATH + "/" + rule.value().id()))
			.eTag(ETags.of(rule.version()))
			.body(rule.value());
	}

	private static ApiException notFound(String id) {
		return ApiException.notFound(what(id));
	}

	private static String what(String id) {
		return "Rule " + id;
	}

}
