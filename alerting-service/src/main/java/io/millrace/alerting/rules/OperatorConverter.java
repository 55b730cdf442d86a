package io.millrace.alerting.rules;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Lets configuration write operators as symbols ({@code operator: ">"}). */
@Component
@ConfigurationPropertiesBinding
class OperatorConverter implements Converter<String, ComparisonOperator> {

	@Override
	public ComparisonOperator convert(String source) {
		return ComparisonOperator.parse(source);
	}

}
