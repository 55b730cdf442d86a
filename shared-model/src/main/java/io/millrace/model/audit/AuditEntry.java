package io.millrace.model.audit;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change made through an admin API: the value of the {@code audit} topic, keyed by
 * the changed resource ({@code type/id}), so a resource's history stays in order. Written
 * by the service that made the change, after the change is stored; read by whoever
 * answers {@code GET /api/v1/audit}. Secrets never appear in it: {@code before} and
 * {@code after} are the resource as its API shows it, without secrets.
 *
 * @param id unique id of the entry
 * @param time when the change was stored
 * @param service the service that made it
 * @param actor who made it
 * @param action what was done, {@code <resource type>.<verb>} (for example
 * {@code rule.updated}, {@code subscription.secret-rotated})
 * @param resource what it was done to
 * @param before the resource before the change; absent for a creation
 * @param after the resource after the change; absent for a deletion
 * @param detail anything else worth knowing, for example a redelivery's filter
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(String id, Instant time, String service, Actor actor, String action, Resource resource,
		JsonNode before, JsonNode after, JsonNode detail) {

	/**
	 * @return the record key on the {@code audit} topic
	 */
	public String key() {
		return this.resource.type() + "/" + this.resource.id();
	}

	/**
	 * Who made a change.
	 *
	 * @param kind how the caller authenticated: {@code api-key},
	 * {@code entra-application} (an application's token) or {@code entra-user} (a user's
	 * delegated token)
	 * @param name the API key's name, or the client application's id
	 * @param user for {@code entra-user}: the signed-in user ({@code preferred_username},
	 * else {@code upn}, else the object id {@code oid})
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Actor(String kind, String name, String user) {

		/** The kind of an API key caller. */
		public static final String API_KEY = "api-key";

		/** The kind of an application token caller. */
		public static final String ENTRA_APPLICATION = "entra-application";

		/** The kind of a delegated user token caller. */
		public static final String ENTRA_USER = "entra-user";

	}

	/**
	 * What a change was made to.
	 *
	 * @param type {@code rule}, {@code subscription}, {@code silence}, {@code delivery},
	 * {@code sensor-metadata}, {@code replay}
	 * @param id its id
	 */
	public record Resource(String type, String id) {
	}

}
