package io.millrace.alerting.catalog;

import java.util.List;

import io.millrace.alerting.lifecycle.Rule;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The rules API. */
@RestController
@RequestMapping("/api/v1/rules")
class RulesController {

	private final AlertingCatalog catalog;

	RulesController(AlertingCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping
	List<Rule> list() {
		return this.catalog.current().rules();
	}

}
