package io.millrace.alerting.audit;

import io.millrace.model.audit.AuditEntry;
import io.millrace.security.Callers;
import io.millrace.transport.audit.AuditTrail;

import org.springframework.stereotype.Component;

/**
 * What the admin APIs call after a change is stored: one audit entry naming the caller.
 * Before and after are the resource as the API shows it, which never holds a secret.
 */
@Component
public class AdminChanges {

	private final AuditTrail trail;

	AdminChanges(AuditTrail trail) {
		this.trail = trail;
	}

	/**
	 * @param type the resource type ({@code rule}, {@code subscription}, ...)
	 * @param id its id
	 * @param after the resource as created
	 */
	public void created(String type, String id, Object after) {
		changed(type, "created", id, null, after, null);
	}

	/**
	 * @param type the resource type
	 * @param id its id
	 * @param before the resource before
	 * @param after the resource after
	 */
	public void updated(String type, String id, Object before, Object after) {
		changed(type, "updated", id, before, after, null);
	}

	/**
	 * @param type the resource type
	 * @param id its id
	 * @param before the resource as it was
	 */
	public void deleted(String type, String id, Object before) {
		changed(type, "deleted", id, before, null, null);
	}

	/**
	 * Any other change.
	 * @param type the resource type
	 * @param verb what was done ({@code secret-rotated}, {@code expired}, ...)
	 * @param id the resource's id
	 * @param before the resource before, or {@code null}
	 * @param after the resource after, or {@code null}
	 * @param detail anything else, or {@code null}
	 */
	public void changed(String type, String verb, String id, Object before, Object after, Object detail) {
		this.trail.record(Callers.current(), type + "." + verb, new AuditEntry.Resource(type, id), before, after,
				detail);
	}

}
