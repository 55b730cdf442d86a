package io.millrace.transport.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.stream.binder.Binding;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.cloud.stream.config.BindingServiceConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Health component {@code bindings} and the gauge {@code millrace_binding_running}: see
 * {@link BindingsHealth}. Every service's readiness group includes it, so a consumer that
 * does not consume takes the instance out of rotation and says why.
 */
@AutoConfiguration(after = BindingServiceConfiguration.class)
@ConditionalOnClass(BindingService.class)
public class BindingsHealthConfiguration {

	@Bean
	BindingsHealth bindingsHealthIndicator(ObjectProvider<BindingService> bindingService,
			ObjectProvider<MeterRegistry> registry,
			@Value("${millrace.health.bindings.interval:2s}") Duration interval) {
		return new BindingsHealth(() -> bindingsOf(bindingService.getIfAvailable()),
				registry.getIfAvailable(() -> Metrics.globalRegistry), interval);
	}

	/**
	 * The bindings exist once the context has started: look at them then, not an interval
	 * later.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> bindingsHealthFirstCheck(BindingsHealth health) {
		return (ready) -> health.check();
	}

	private static List<Binding<?>> bindingsOf(BindingService service) {
		List<Binding<?>> all = new ArrayList<>();
		if (service == null) {
			return all;
		}
		for (String name : service.getConsumerBindingNames()) {
			all.addAll(service.getConsumerBindings(name));
		}
		for (String name : service.getProducerBindingNames()) {
			Binding<?> binding = service.getProducerBinding(name);
			if (binding != null) {
				all.add(binding);
			}
		}
		return all;
	}

}
