package io.millrace.alerting.audit;

import java.time.Instant;
import java.util.List;

import io.millrace.alerting.api.ListQueries;
import io.millrace.model.audit.AuditEntry;
import io.millrace.transport.audit.AuditLog;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail over REST, scope {@code admin}: every change made through an admin API
 * of any service that writes to the {@code audit} topic, newest first.
 */
@RestController
@RequestMapping(AuditController.PATH)
class AuditController {

	static final String PATH = "/api/v1/audit";

	private static final int MAX_LIMIT = 1000;

	private final AuditLog log;

	AuditController(AuditLog log) {
		this.log = log;
	}

	@GetMapping
	Entries list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(required = false) String resourceType, @RequestParam(required = false) String resourceId,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
			@RequestParam(defaultValue = "100") int limit) {
		ListQueries.check(from, to, limit, MAX_LIMIT);
		return new Entries(
				this.log.find(new AuditLog.Filter(actor, action, resourceType, resourceId, from, to, limit)));
	}

	/**
	 * A page of the audit trail.
	 *
	 * @param entries newest first
	 */
	record Entries(List<AuditEntry> entries) {
	}

}
