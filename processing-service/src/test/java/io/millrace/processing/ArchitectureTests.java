package io.millrace.processing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.millrace.model.architecture.MillraceArchitectureRules;

@AnalyzeClasses(packages = "io.millrace.processing", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule staysInItsOwnPackages = MillraceArchitectureRules.serviceStaysInItsOwnPackages("processing");

	@ArchTest
	static final ArchRule knowsNoMessagingTypes = MillraceArchitectureRules.knowsNoMessagingTypes("processing");

	@ArchTest
	static final ArchRule engineIsPlainJava = MillraceArchitectureRules.isPlainJava("io.millrace.processing.engine");

}
