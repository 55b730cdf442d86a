package io.millrace.processing.progress;

import java.util.List;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/streamingprogress}: the recent batches of every input partition,
 * newest last.
 */
@Endpoint(id = "streamingprogress")
public class StreamingProgressEndpoint {

	private final ProgressTracker tracker;

	public StreamingProgressEndpoint(ProgressTracker tracker) {
		this.tracker = tracker;
	}

	@ReadOperation
	public Map<String, List<ProgressTracker.BatchProgress>> progress() {
		return this.tracker.recent();
	}

}
