package io.millrace.serving.vitals;

import java.time.Clock;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The platform's vital signs, for the dashboard. */
@RestController
class VitalsController {

	private final VitalSigns signs;

	private final Clock clock;

	VitalsController(VitalSigns signs) {
		this.signs = signs;
		this.clock = Clock.systemUTC();
	}

	@Operation(summary = "The platform's vital signs",
			description = "Ingest rate, watermark lag, consumer lag and webhook failures, from the Prometheus scrapes "
					+ "of the services configured under millrace.serving.vitals.sources (scraped every "
					+ "millrace.serving.vitals.interval). Each says 'ok' with a value, or 'not-configured', "
					+ "'unavailable' or 'pending' with why in 'detail'. One scrape per source URL: behind a "
					+ "load balancer that is one instance; Prometheus has the whole fleet.")
	@GetMapping("/api/v1/vitals")
	Vitals vitals() {
		return this.signs.current(this.clock.instant());
	}

}
