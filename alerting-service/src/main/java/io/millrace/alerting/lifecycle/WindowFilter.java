package io.millrace.alerting.lifecycle;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.millrace.model.aggregate.AggregateWindow;

/**
 * Which window aggregates a window rule reads. Processing may emit several window kinds
 * and sizes of the same metric; a rule reading all of them would compare a 1-minute
 * window with a 1-hour one, so rate-of-change and anomaly rules must name one.
 *
 * @param kind the window kind ({@code tumbling}, {@code hopping}, {@code sliding},
 * {@code session}); any when null
 * @param size the window size; any when null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowFilter(String kind, Duration size) {

	boolean accepts(AggregateWindow window) {
		return (this.kind == null || this.kind.equals(window.kind()))
				&& (this.size == null || this.size.equals(window.size()));
	}

}
