package io.millrace.transport.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.millrace.runtime.task.TaskStatus;
import io.millrace.transport.TaskBinding;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Health component {@code streaming}: down while a task holds its input on a failing
 * batch, naming the binding, the failure and since when. Reads what the tasks publish, so
 * it answers at once whatever the tasks are doing.
 */
public final class StreamingHealth implements HealthIndicator {

	private final List<TaskBinding> tasks;

	public StreamingHealth(List<TaskBinding> tasks) {
		this.tasks = tasks;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		for (TaskBinding binding : this.tasks) {
			TaskStatus status = binding.task().status();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("partitions", status.nextOffsets().size());
			if (status.failing()) {
				health.down();
				details.put("failure", status.failure());
				details.put("failingSince", Instant.ofEpochMilli(status.failingSince()).toString());
			}
			health.withDetail(binding.inputBinding(), details);
		}
		return health.build();
	}

}
