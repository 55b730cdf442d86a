package io.millrace.lakehouse;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.millrace.model.architecture.MillraceArchitectureRules;

@AnalyzeClasses(packages = "io.millrace.lakehouse", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule staysInItsOwnPackages = MillraceArchitectureRules.serviceStaysInItsOwnPackages("lakehouse");

	@ArchTest
	static final ArchRule knowsNoMessagingTypes = MillraceArchitectureRules.knowsNoMessagingTypes("lakehouse");

	@ArchTest
	static final ArchRule deltaWriterIsPlainJava = MillraceArchitectureRules.isPlainJava("io.millrace.lakehouse.delta");

	@ArchTest
	static final ArchRule sinkIsPlainJava = MillraceArchitectureRules.isPlainJava("io.millrace.lakehouse.sink");

}
