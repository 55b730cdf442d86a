package io.millrace.transport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.cloud.stream.binder.BinderCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Registers a service's {@link KafkaBinderHooks} (its own, or the streaming runtime's) as
 * the one binder customizer: the binder factory applies a single customizer, so it is
 * made here, once, and services never name the binder type.
 */
@AutoConfiguration(after = StreamingRuntimeConfiguration.class)
@ConditionalOnBean(KafkaBinderHooks.class)
public class BinderHooksConfiguration {

	@Bean
	BinderCustomizer millraceBinderCustomizer(KafkaBinderHooks hooks) {
		return hooks.customizer();
	}

}
