package io.millrace.alerting;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.millrace.model.architecture.MillraceArchitectureRules;

@AnalyzeClasses(packages = "io.millrace.alerting", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule staysInItsOwnPackages = MillraceArchitectureRules.serviceStaysInItsOwnPackages("alerting");

	@ArchTest
	static final ArchRule knowsNoMessagingTypes = MillraceArchitectureRules.knowsNoMessagingTypes("alerting");

	/**
	 * The rules and lifecycle engine is plain Java, testable alone, like the windowing
	 * engine.
	 */
	@ArchTest
	static final ArchRule lifecycleIsPlainJava = MillraceArchitectureRules
		.isPlainJava("io.millrace.alerting.lifecycle");

}
