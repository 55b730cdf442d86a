package io.millrace.transport.management;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.jackson.EndpointObjectMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.context.annotation.Bean;
import org.springframework.expression.Expression;

/**
 * Makes {@code /actuator/bindings} answer on every service. A binding's {@code extension}
 * is its binder's producer or consumer properties, and those hold SpEL
 * {@link Expression}s (ingest's {@code send-timeout-expression}, for example), which
 * Jackson cannot write: their syntax tree refers to itself ("Direct self-reference
 * leading to cycle"), and the endpoint answered {@code 500}. Both mappers that write
 * bindings — the binding controller's own (the list) and the actuator's (one binding) —
 * write an expression as its text instead.
 */
@AutoConfiguration
@ConditionalOnClass({ BindingsLifecycleController.class, EndpointObjectMapper.class })
public class BindingsEndpointJson {

	/**
	 * @return a Jackson module that writes an {@link Expression} as its text
	 */
	public static SimpleModule expressionsAsText() {
		SimpleModule module = new SimpleModule("millrace-expressions-as-text");
		module.addSerializer(Expression.class, new StdSerializer<>(Expression.class) {

			@Override
			public void serialize(Expression expression, JsonGenerator json, SerializerProvider provider)
					throws IOException {
				json.writeString(expression.getExpressionString());
			}

		});
		return module;
	}

	@Bean
	static BeanPostProcessor millraceBindingsJson() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof BindingsLifecycleController controller) {
					register(controller.getObjectMapper());
				}
				else if (bean instanceof EndpointObjectMapper endpoint) {
					register(endpoint.get());
				}
				else if (bean instanceof ObjectMapper mapper) {
					register(mapper);
				}
				return bean;
			}

		};
	}

	private static void register(ObjectMapper mapper) {
		if (mapper != null) {
			mapper.registerModule(expressionsAsText());
		}
	}

}
