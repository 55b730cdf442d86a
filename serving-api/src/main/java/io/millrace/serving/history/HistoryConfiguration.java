package io.millrace.serving.history;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Series history from the lakehouse's Gold table, when configured. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

	@Bean
	SeriesHistory seriesHistory(HistoryProperties properties) {
		return new SeriesHistory(properties.enabled() ? new GoldHistoryClient(properties) : null);
	}

}
