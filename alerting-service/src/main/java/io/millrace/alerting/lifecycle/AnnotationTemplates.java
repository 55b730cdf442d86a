package io.millrace.alerting.lifecycle;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the placeholders of a rule's annotations ({@code {{sensorId}}},
 * {@code {{value}}}, ...). Unknown placeholders are left as written; the validator
 * rejects them before a rule is stored.
 */
final class AnnotationTemplates {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");

	private AnnotationTemplates() {
	}

	static Map<String, String> render(Map<String, String> templates, Map<String, String> values) {
		Map<String, String> rendered = new TreeMap<>();
		templates.forEach((name, template) -> rendered.put(name, render(template, values)));
		return rendered;
	}

	static String render(String template, Map<String, String> values) {
		Matcher placeholder = PLACEHOLDER.matcher(template);
		StringBuilder out = new StringBuilder();
		while (placeholder.find()) {
			String value = values.get(placeholder.group(1));
			placeholder.appendReplacement(out, Matcher.quoteReplacement((value != null) ? value : placeholder.group()));
		}
		placeholder.appendTail(out);
		return out.toString();
	}

}
