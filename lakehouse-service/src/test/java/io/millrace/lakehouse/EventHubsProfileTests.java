package io.millrace.lakehouse;

import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.binding.EventHubsProfileContract;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "millrace.lakehouse.root=${java.io.tmpdir}/millrace-lakehouse-eventhubs-profile-test")
class EventHubsProfileTests extends EventHubsProfileContract {

	@Override
	protected BoundDestinations expectedDestinations() {
		return LakehouseBindings.EXPECTED;
	}

}
