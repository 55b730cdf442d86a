package io.millrace.alerting;

import io.millrace.model.binding.BoundDestinations;
import io.millrace.model.binding.EventHubsProfileContract;

class EventHubsProfileTests extends EventHubsProfileContract {

	@Override
	protected BoundDestinations expectedDestinations() {
		return AlertingBindings.EXPECTED;
	}

}
