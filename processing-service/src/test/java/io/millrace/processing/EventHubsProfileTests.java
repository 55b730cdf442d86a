package io.millrace.processing;

import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.binding.EventHubsTestConnection;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.stream.binder.BinderFactory;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.messaging.MessageChannel;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under the {@code eventhubs} profile the service starts on the Event Hubs binder and
 * binds exactly the destinations it binds on Kafka. The namespace and checkpoint store
 * are loopback addresses, so nothing leaves the machine.
 */
@SpringBootTest(properties = { EventHubsTestConnection.NAMESPACE, EventHubsTestConnection.CHECKPOINT_STORE })
@ActiveProfiles("eventhubs")
class EventHubsProfileTests {

	@Autowired
	BindingService bindings;

	@Autowired
	BinderFactory binders;

	@Test
	void bindsTheSameDestinationsOnTheEventHubsBinder() {
		assertThat(this.binders.getBinder(null, MessageChannel.class).getClass().getSimpleName())
			.isEqualTo("EventHubsMessageChannelBinder");
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(ProcessingBindings.EXPECTED);
	}

}
