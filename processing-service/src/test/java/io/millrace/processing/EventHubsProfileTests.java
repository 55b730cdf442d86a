package io.millrace.processing;

import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.binding.EventHubsProfileContract;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
		properties = "millrace.processing.checkpoint.directory=${java.io.tmpdir}/millrace-eventhubs-profile-test")
class EventHubsProfileTests extends EventHubsProfileContract {

	@Override
	protected BoundDestinations expectedDestinations() {
		return ProcessingBindings.EXPECTED;
	}

}
