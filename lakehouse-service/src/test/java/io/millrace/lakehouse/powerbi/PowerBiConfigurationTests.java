package io.millrace.lakehouse.powerbi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.millrace.transport.BindingOutputSink;
import io.millrace.transport.TaskBinding;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PowerBiConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, PowerBiConfiguration.class);

	@Test
	void offByDefaultWithItsMetricsExported() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(PowerBiPushTask.class)
				.doesNotHaveBean(TaskBinding.class);
			assertThat(context.getBean(MeterRegistry.class)
				.get("millrace.lakehouse.powerbi.deadlettered")
				.tag("reason", RowPusher.OVER_HOURLY_BUDGET)
				.counter()
				.count()).isZero();
		});
	}

	@Test
	void onItBindsItsTaskToItsOwnInput() {
		this.runner
			.withPropertyValues("millrace.lakehouse.powerbi.enabled=true", "millrace.lakehouse.powerbi.dataset-id=ds1",
					"millrace.lakehouse.powerbi.access-token=t")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PowerBiPushTask.class).hasBean("pushPowerBi");
				assertThat(context.getBean(TaskBinding.class).inputBinding()).isEqualTo("pushPowerBi-in-0");
			});
	}

	@Test
	void onWithoutADatasetTheStartFails() {
		this.runner.withPropertyValues("millrace.lakehouse.powerbi.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("millrace.lakehouse.powerbi.dataset-id"));
	}

	@Test
	void moreThanPowerBisRowsPerRequestIsRefused() {
		this.runner
			.withPropertyValues("millrace.lakehouse.powerbi.enabled=true", "millrace.lakehouse.powerbi.dataset-id=ds1",
					"millrace.lakehouse.powerbi.max-rows-per-request=10001")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("less than or equal to 10000"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(PowerBiProperties.class)
	static class Infrastructure {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		BindingOutputSink bindingOutputSink(ObjectProvider<StreamBridge> bridge) {
			return new BindingOutputSink(bridge, new BindingServiceProperties());
		}

	}

}
