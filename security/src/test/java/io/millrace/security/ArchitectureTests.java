package io.millrace.security;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.millrace.model.architecture.MillraceArchitectureRules;

@AnalyzeClasses(packages = "io.millrace.security", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule knowsOnlyTheModel = MillraceArchitectureRules.sharedModuleKnowsOnlyTheModel("security");

	@ArchTest
	static final ArchRule knowsNoMessagingTypes = MillraceArchitectureRules.knowsNoMessagingTypes("security");

}
