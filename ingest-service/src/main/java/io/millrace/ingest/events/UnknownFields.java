package io.millrace.ingest.events;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.model.json.MillraceJson;
import io.millrace.model.telemetry.TelemetryEvent;

/**
 * Writes an accepted event as canonical camelCase JSON and keeps the fields the contract
 * does not know, as the client sent them: producers may add fields before consumers learn
 * them. The known names (with their aliases) come from the contract's own Jackson
 * mapping, so they cannot drift from it.
 */
final class UnknownFields {

	private static final ObjectMapper JSON = MillraceJson.mapper();

	private static final Set<String> KNOWN = knownNames();

	private UnknownFields() {
	}

	/**
	 * @param event the accepted, stamped event
	 * @param sent the JSON object the client sent for it
	 * @return what to publish: the event itself when the client sent only known fields,
	 * else its canonical JSON plus the unknown fields of {@code sent}
	 */
	static Object keep(TelemetryEvent event, JsonNode sent) {
		ObjectNode canonical = null;
		Iterator<Map.Entry<String, JsonNode>> fields = sent.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (!KNOWN.contains(field.getKey())) {
				if (canonical == null) {
					canonical = JSON.valueToTree(event);
				}
				canonical.putIfAbsent(field.getKey(), field.getValue());
			}
		}
		return (canonical != null) ? canonical : event;
	}

	private static Set<String> knownNames() {
		BeanDescription description = JSON.getDeserializationConfig()
			.introspect(JSON.constructType(TelemetryEvent.class));
		Set<String> names = new HashSet<>();
		for (BeanPropertyDefinition property : description.findProperties()) {
			names.add(property.getName());
			property.findAliases().forEach((alias) -> names.add(alias.getSimpleName()));
		}
		return names;
	}

}
