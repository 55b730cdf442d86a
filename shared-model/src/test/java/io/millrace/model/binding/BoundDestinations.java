package io.millrace.model.binding;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binding.BindingService;

/**
 * What a running service is bound to: binding name to destination, for inputs and
 * outputs. Each service's Kafka and Event Hubs tests compare this with the same expected
 * value, which is how we prove that both binders bind the same destinations.
 *
 * @param inputs consumer binding name to destination (topic / event hub)
 * @param outputs producer binding name to destination
 */
public record BoundDestinations(Map<String, String> inputs, Map<String, String> outputs) {

	public BoundDestinations {
		inputs = new TreeMap<>(inputs);
		outputs = new TreeMap<>(outputs);
	}

	/**
	 * Reads the bindings of a started application.
	 * @param bindings the application's binding service
	 * @return its bound destinations
	 */
	public static BoundDestinations of(BindingService bindings) {
		Map<String, String> inputs = new TreeMap<>();
		for (String name : bindings.getConsumerBindingNames()) {
			for (Binding<?> binding : bindings.getConsumerBindings(name)) {
				// Keyed by the binding name we configured: the Event Hubs binder's
				// Binding objects do not
				// always report it from getBindingName().
				inputs.put(name, binding.getName());
			}
		}
		Map<String, String> outputs = new TreeMap<>();
		for (String name : bindings.getProducerBindingNames()) {
			Binding<?> binding = bindings.getProducerBinding(name);
			outputs.put(name, binding.getName());
		}
		return new BoundDestinations(inputs, outputs);
	}

}
