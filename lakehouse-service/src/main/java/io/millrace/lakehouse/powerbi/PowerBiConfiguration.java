package io.millrace.lakehouse.powerbi;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import com.azure.identity.DefaultAzureCredentialBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.millrace.runtime.decode.ContractDecoders;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import io.millrace.transport.TaskConsumers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * The Power BI push, on with {@code millrace.lakehouse.powerbi.enabled=true}: a task of
 * the streaming runtime fed by the consumer function {@code pushPowerBi} (its own
 * consumer group on {@code telemetry-aggregates}; {@link PowerBiFunctionDefinition} adds
 * the function to the definition only then). Its metrics exist either way.
 */
@Configuration(proxyBeanMethods = false)
class PowerBiConfiguration {

	static final String BINDING = "pushPowerBi-in-0";

	@Bean
	PowerBiMetrics powerBiMetrics(MeterRegistry registry) {
		return new PowerBiMetrics(registry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "millrace.lakehouse.powerbi.enabled", havingValue = "true")
	static class Enabled {

		@Bean
		PowerBiPushTask powerBiPushTask(PowerBiProperties properties, PowerBiMetrics metrics, BindingOutputSink sink,
				@Value("${spring.cloud.stream.bindings." + BINDING
						+ ".destination:telemetry-aggregates}") String topic) {
			if (properties.datasetId().isBlank()) {
				throw new IllegalStateException(
						"millrace.lakehouse.powerbi.enabled is true but millrace.lakehouse.powerbi.dataset-id is empty");
			}
			RowsEndpoint.AccessTokens tokens = properties.accessToken().isBlank()
					? new EntraAccessTokens(new DefaultAzureCredentialBuilder().build(), properties.scope())
					: properties::accessToken;
			RowPusher pusher = new RowPusher(
					new RowsEndpoint(properties.rowsUri(), tokens, properties.requestTimeout()),
					new PushBudget(properties.requestsPerMinute(), Duration.ofMinutes(1), properties.rowsPerHour(),
							Duration.ofHours(1), System::nanoTime),
					properties.maxRowsPerRequest(), properties.maxAttempts(), properties.maxRetryWait(),
					(wait) -> Thread.sleep(wait.toMillis()), metrics);
			return new PowerBiPushTask(topic, ContractDecoders.windowAggregates(), pusher, sink.forTask(),
					properties.deliveryTimeout(), metrics, Clock.systemUTC());
		}

		@Bean
		Consumer<Message<?>> pushPowerBi(PowerBiPushTask powerBiPushTask) {
			return TaskConsumers.batches(powerBiPushTask);
		}

		@Bean
		TaskBinding powerBiTaskBinding(PowerBiPushTask powerBiPushTask) {
			return new TaskBinding(BINDING, powerBiPushTask);
		}

	}

}
