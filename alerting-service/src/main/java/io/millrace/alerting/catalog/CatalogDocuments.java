package io.millrace.alerting.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.alerting.lifecycle.Rule;
import io.millrace.alerting.lifecycle.RuleValidator;
import io.millrace.alerting.lifecycle.Silence;
import io.millrace.model.json.MillraceJson;
import io.millrace.storage.ObjectStore;
import io.millrace.storage.Precondition;
import io.millrace.storage.PreconditionFailedException;
import io.millrace.storage.StorageException;
import io.millrace.storage.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's documents in the storage port, one JSON object per definition under
 * {@code alerting/catalog/}: {@code rules/<id>.json}, {@code subscriptions/<id>.json},
 * {@code silences/<id>.json}, and {@code subscription-states/<id>.json} (whether a
 * subscription from configuration is disabled). Every change is a conditional write, so
 * two replicas or two users never overwrite each other silently: the storage version is
 * the API's {@code ETag}.
 */
public final class CatalogDocuments {

	/** Where the catalog lives in the store, beside the checkpoints. */
	static final String PREFIX = "alerting/catalog/";

	private static final String SUFFIX = ".json";

	private static final Logger logger = LoggerFactory.getLogger(CatalogDocuments.class);

	private final ObjectStore store;

	private final ObjectMapper json = MillraceJson.mapper();

	private final Runnable afterWrite;

	private final SecretSealing sealing;

	/**
	 * @param store the store
	 * @param afterWrite run after every successful write, so that this replica's snapshot
	 * shows its own change at once
	 * @param sealing encrypts subscriptions' secrets on the way to the store
	 */
	CatalogDocuments(ObjectStore store, Runnable afterWrite, SecretSealing sealing) {
		this.store = store;
		this.afterWrite = afterWrite;
		this.sealing = sealing;
	}

	/**
	 * Every document of a kind.
	 * @param <T> the document type
	 * @param kind the kind
	 * @return the documents with their versions
	 */
	public <T> List<Versioned<T>> list(Kind<T> kind) {
		List<Versioned<T>> documents = new ArrayList<>();
		for (String key : this.store.list(PREFIX + kind.folder() + "/")) {
			Optional<StoredObject> object = this.store.get(key);
			try {
				object.flatMap((read) -> parse(kind, read)).ifPresent(documents::add);
			}
			catch (StorageException ex) {
				// A document edited by hand into something unreadable must not hide the
				// others; the catalog's refresh logs it as skipped too.
				logger.warn("Listing skips {}: {}", key, ex.getMessage());
			}
		}
		return documents;
	}

	/**
	 * One document.
	 * @param <T> the document type
	 * @param kind the kind
	 * @param id its id
	 * @return it with its version, empty when absent
	 */
	public <T> Optional<Versioned<T>> get(Kind<T> kind, String id) {
		if (!RuleValidator.isValidId(id)) {
			// No document can have it: not a key to ask storage for.
			return Optional.empty();
		}
		return this.store.get(key(kind, id)).flatMap((object) -> parse(kind, object));
	}

	/**
	 * Write a document if the precondition holds.
	 * @param <T> the document type
	 * @param kind the kind
	 * @param id its id
	 * @param document the content
	 * @param precondition {@link Precondition#absent()} to create,
	 * {@link Precondition#matches} to replace what was read
	 * @return the document with its new version
	 * @throws PreconditionFailedException if another write came first
	 */
	public <T> Versioned<T> put(Kind<T> kind, String id, T document, Precondition precondition) {
		String version = this.store.put(key(kind, id), bytes(kind, id, document), precondition);
		this.afterWrite.run();
		return new Versioned<>(document, version);
	}

	/**
	 * Create a document unless one with its id exists, without refreshing: for seeds,
	 * which the refresh itself writes. Replicas starting together all try; one creates.
	 * @param <T> the document type
	 * @param kind the kind
	 * @param id its id
	 * @param document the content
	 * @return whether this call created it
	 */
	<T> boolean seed(Kind<T> kind, String id, T document) {
		try {
			this.store.put(key(kind, id), bytes(kind, id, document), Precondition.absent());
			return true;
		}
		catch (PreconditionFailedException ex) {
			return false;
		}
	}

	/**
	 * Delete a document if the precondition holds.
	 * @param kind the kind
	 * @param id its id
	 * @param precondition what must be true of the stored one
	 */
	public void delete(Kind<?> kind, String id, Precondition precondition) {
		this.store.delete(key(kind, id), precondition);
		this.afterWrite.run();
	}

	/**
	 * Every catalog object as stored, reading only those whose version changed since
	 * {@code known}: one listing of keys and versions (one request on Azure Blob), then a
	 * read per new or changed object.
	 * @param known the objects read before, by key
	 * @return the objects by key, in key order
	 */
	Map<String, StoredObject> readChanged(Map<String, StoredObject> known) {
		Map<String, StoredObject> objects = new LinkedHashMap<>();
		this.store.listVersions(PREFIX).forEach((key, version) -> {
			StoredObject previous = known.get(key);
			if (previous != null && previous.version().equals(version)) {
				objects.put(key, previous);
			}
			else {
				// Deleted between list and get: it is simply not there any more.
				this.store.get(key).ifPresent((object) -> objects.put(key, object));
			}
		});
		return objects;
	}

	/**
	 * Parse one object of {@link #readChanged}.
	 * @param <T> the document type
	 * @param kind the kind
	 * @param object the object
	 * @return the document, empty when the object is not of this kind
	 * @throws StorageException if it is of this kind but not readable
	 */
	<T> Optional<T> parseIfOfKind(Kind<T> kind, StoredObject object) {
		if (!object.key().startsWith(PREFIX + kind.folder() + "/")) {
			return Optional.empty();
		}
		return parse(kind, object).map(Versioned::value);
	}

	private <T> Optional<Versioned<T>> parse(Kind<T> kind, StoredObject object) {
		try {
			T document = this.json.readValue(object.data(), kind.type());
			if (document instanceof SubscriptionDocument subscription) {
				String owner = owner(subscription);
				document = kind.type()
					.cast(subscription.withSecrets(this.sealing.open(subscription.secret(), owner),
							this.sealing.open(subscription.previousSecret(), owner)));
			}
			return Optional.of(new Versioned<>(document, object.version()));
		}
		catch (IllegalArgumentException ex) {
			throw new StorageException("Catalog document " + object.key() + ": " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new StorageException("Catalog document " + object.key() + " is not a readable "
					+ kind.type().getSimpleName() + ": " + ex.getMessage(), ex);
		}
	}

	private byte[] bytes(Kind<?> kind, String id, Object document) {
		Object stored = document;
		if (document instanceof SubscriptionDocument subscription) {
			String owner = owner(subscription);
			stored = subscription.withSecrets(this.sealing.seal(subscription.secret(), owner),
					this.sealing.seal(subscription.previousSecret(), owner));
		}
		try {
			return this.json.writeValueAsBytes(stored);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write " + kind.folder() + " " + id + " as JSON", ex);
		}
	}

	private static String owner(SubscriptionDocument subscription) {
		return "subscription/" + subscription.id();
	}

	private static String key(Kind<?> kind, String id) {
		return PREFIX + kind.folder() + "/" + id + SUFFIX;
	}

	/**
	 * A document and the version it was read or written at.
	 *
	 * @param <T> the document type
	 * @param value the document
	 * @param version the storage version (the API's {@code ETag})
	 */
	public record Versioned<T>(T value, String version) {
	}

	/**
	 * A kind of document: its folder and type.
	 *
	 * @param <T> the document type
	 * @param folder the folder under {@code alerting/catalog/}
	 * @param type the document type
	 */
	public record Kind<T>(String folder, Class<T> type) {

		/** Rules, as the API takes them. */
		public static final Kind<Rule> RULES = new Kind<>("rules", Rule.class);

		/** Subscriptions made through the API, with their secrets. */
		public static final Kind<SubscriptionDocument> SUBSCRIPTIONS = new Kind<>("subscriptions",
				SubscriptionDocument.class);

		/** Silences, expired ones included. */
		public static final Kind<Silence> SILENCES = new Kind<>("silences", Silence.class);

		/** Whether a subscription from configuration is disabled. */
		public static final Kind<SubscriptionState> SUBSCRIPTION_STATES = new Kind<>("subscription-states",
				SubscriptionState.class);

	}

}
