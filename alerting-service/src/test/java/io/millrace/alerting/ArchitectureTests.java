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

}
