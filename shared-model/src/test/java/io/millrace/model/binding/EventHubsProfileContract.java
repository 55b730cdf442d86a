package io.millrace.model.binding;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.stream.binder.BinderFactory;
import org.springframework.cloud.stream.binding.BindingService;
import org.springframework.messaging.MessageChannel;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every service proves about the {@code eventhubs} profile: its context starts on
 * the Event Hubs binder and binds exactly the destinations it binds on Kafka. The
 * namespace and checkpoint store are loopback addresses
 * ({@link EventHubsTestConnection}), so nothing leaves the machine. A service's
 * {@code EventHubsProfileTests} extends this and names its expected destinations, the
 * same value its Kafka test checks.
 */
@SpringBootTest(properties = { EventHubsTestConnection.NAMESPACE, EventHubsTestConnection.CHECKPOINT_STORE })
@ActiveProfiles("eventhubs")
public abstract class EventHubsProfileContract {

	@Autowired
	BindingService bindings;

	@Autowired
	BinderFactory binders;

	/**
	 * The destinations the service binds on any binder.
	 * @return the expected bindings
	 */
	protected abstract BoundDestinations expectedDestinations();

	@Test
	void bindsTheSameDestinationsOnTheEventHubsBinder() {
		assertThat(this.binders.getBinder(null, MessageChannel.class).getClass().getSimpleName())
			.isEqualTo("EventHubsMessageChannelBinder");
		assertThat(BoundDestinations.of(this.bindings)).isEqualTo(expectedDestinations());
	}

}
