package io.millrace.ingest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.millrace.model.architecture.MillraceArchitectureRules;

@AnalyzeClasses(packages = "io.millrace.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule staysInItsOwnPackages = MillraceArchitectureRules.serviceStaysInItsOwnPackages("ingest");

	@ArchTest
	static final ArchRule knowsNoMessagingTypes = MillraceArchitectureRules.knowsNoMessagingTypes("ingest");

}
