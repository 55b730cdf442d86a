package io.millrace.lakehouse.replay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code millrace_lakehouse_replay_events_published_total{topic}} and
 * {@code millrace_lakehouse_replays_total{state}} (finished replays by how they ended).
 */
final class ReplayMetrics {

	private final MeterRegistry registry;

	ReplayMetrics(MeterRegistry registry, java.util.List<String> topics) {
		this.registry = registry;
		topics.forEach((topic) -> published(topic, 0));
		for (ReplayJob.State state : new ReplayJob.State[] { ReplayJob.State.SUCCEEDED, ReplayJob.State.FAILED,
				ReplayJob.State.CANCELLED }) {
			finishedCounter(state).increment(0);
		}
	}

	void published(String topic, int events) {
		Counter.builder("millrace.lakehouse.replay.events.published")
			.description("Events a replay published (and the broker acknowledged), by target topic")
			.tag("topic", topic)
			.register(this.registry)
			.increment(events);
	}

	void finished(ReplayJob job) {
		finishedCounter(job.state()).increment();
	}

	private Counter finishedCounter(ReplayJob.State state) {
		return Counter.builder("millrace.lakehouse.replays")
			.description("Replays finished, by how they ended")
			.tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
			.register(this.registry);
	}

}
