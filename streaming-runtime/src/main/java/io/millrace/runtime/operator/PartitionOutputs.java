package io.millrace.runtime.operator;

/** The outputs of each input partition an instance owns, for timers. */
@FunctionalInterface
public interface PartitionOutputs {

	/**
	 * @param partition an input partition
	 * @return its outputs; results for a partition this instance does not own are dropped
	 * (its owner computes them)
	 */
	Outputs of(String partition);

}
