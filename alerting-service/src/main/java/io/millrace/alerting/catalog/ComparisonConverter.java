package io.millrace.alerting.catalog;

import io.millrace.alerting.lifecycle.Comparison;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Lets rules in configuration write their operator as in the API: {@code ">"} or
 * {@code gt}.
 */
@Component
@ConfigurationPropertiesBinding
class ComparisonConverter implements Converter<String, Comparison> {

	@Override
	public Comparison convert(String source) {
		return Comparison.parse(source);
	}

}
