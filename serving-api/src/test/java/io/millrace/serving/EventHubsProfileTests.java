package io.millrace.serving;

import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.binding.EventHubsProfileContract;

class EventHubsProfileTests extends EventHubsProfileContract {

	@Override
	protected BoundDestinations expectedDestinations() {
		return ServingBindings.EXPECTED;
	}

}
