package io.millrace.model.architecture;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The house rules every service checks against its own classes (see each service's
 * {@code ArchitectureTests}), kept here so that there is one definition of them.
 */
public final class MillraceArchitectureRules {

	private MillraceArchitectureRules() {
	}

	/**
	 * A service uses its own packages, the shared model, the storage port, the streaming
	 * runtime, the transport adapters, the API security module, and libraries: never
	 * another service's code.
	 * @param service the service package under {@code io.millrace}, for example
	 * {@code ingest}
	 * @return the rule
	 */
	public static ArchRule serviceStaysInItsOwnPackages(String service) {
		String own = "io.millrace." + service + "..";
		return noClasses().that()
			.resideInAPackage(own)
			.should()
			.dependOnClassesThat(resideInAPackage("io.millrace..")
				.and(not(resideInAnyPackage(own, "io.millrace.model..", "io.millrace.storage..",
						"io.millrace.runtime..", "io.millrace.transport..", "io.millrace.security.."))))
			.because("services talk over topics and HTTP, not through each other's classes");
	}

	/**
	 * A shared module under the services knows only itself and the shared model: the
	 * services depend on it, never the other way round, and it does not drag the
	 * transport or the runtime into a service that does not use them.
	 * @param module the module's package under {@code io.millrace}, for example
	 * {@code security}
	 * @return the rule
	 */
	public static ArchRule sharedModuleKnowsOnlyTheModel(String module) {
		String own = "io.millrace." + module + "..";
		return noClasses().that()
			.resideInAPackage(own)
			.should()
			.dependOnClassesThat(
					resideInAPackage("io.millrace..").and(not(resideInAnyPackage(own, "io.millrace.model.."))))
			.because("shared modules sit under the services and beside each other, not on top of them");
	}

	/**
	 * Only the transport module knows binder, broker-client and Azure messaging types:
	 * service code works through the streaming runtime and the transport API, so Kafka
	 * and Event Hubs run the same code path.
	 * @param service the service package under {@code io.millrace}
	 * @return the rule
	 */
	public static ArchRule knowsNoMessagingTypes(String service) {
		return noClasses().that()
			.resideInAPackage("io.millrace." + service + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..",
					"org.springframework.cloud.stream.binder..", "com.azure.spring.messaging..",
					"com.azure.spring.cloud.stream..", "com.azure.messaging..")
			.because("binder, Kafka and Azure messaging types belong to the transport module alone");
	}

	/**
	 * Plain-Java code (the windowing engine) must not know Spring, the binder or the
	 * broker client, so it can be unit-tested and benchmarked alone.
	 * @param packageName the package that must stay plain
	 * @return the rule
	 */
	public static ArchRule isPlainJava(String packageName) {
		return noClasses().that()
			.resideInAPackage(packageName + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "org.apache.kafka..", "com.azure..", "jakarta..")
			.because("the engine is plain Java: it is tested and benchmarked without Spring or a broker");
	}

}
