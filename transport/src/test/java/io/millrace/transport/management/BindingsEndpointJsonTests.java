package io.millrace.transport.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.stream.binder.kafka.properties.KafkaProducerProperties;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BindingsEndpointJsonTests {

	@Test
	void producerPropertiesWithAnExpressionAreWrittenWithTheExpressionAsText() throws Exception {
		KafkaProducerProperties properties = new KafkaProducerProperties();
		properties.setSendTimeoutExpression(new SpelExpressionParser().parseExpression("10000"));
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> new ObjectMapper().writeValueAsString(properties))
			.withMessageContaining("Direct self-reference leading to cycle");
		String json = new ObjectMapper().registerModule(BindingsEndpointJson.expressionsAsText())
			.writeValueAsString(properties);
		assertThat(json).contains("\"sendTimeoutExpression\":\"10000\"");
	}

}
