package io.millrace.serving.store;

import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;

import io.millrace.model.aggregate.AggregateWindow;
import io.millrace.model.aggregate.WindowAggregate;

/**
 * One series of a sensor: a metric computed over one window definition (kind and its
 * size, advance or gap). Every window of a series is identified by its start.
 *
 * @param metric the metric
 * @param kind the window kind
 * @param size length of the windows (tumbling, hopping, sliding), or {@code null}
 * @param advance distance between window starts (hopping), or {@code null}
 * @param gap inactivity gap (session), or {@code null}
 */
public record SeriesKey(String metric, String kind, Duration size, Duration advance, Duration gap) {

	/** By metric, kind, size, advance and gap: the order series are listed in. */
	public static final Comparator<SeriesKey> ORDER = Comparator.comparing(SeriesKey::metric)
		.thenComparing(SeriesKey::kind)
		.thenComparing(SeriesKey::size, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(SeriesKey::advance, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(SeriesKey::gap, Comparator.nullsFirst(Comparator.naturalOrder()));

	public SeriesKey {
		Objects.requireNonNull(metric, "metric");
		Objects.requireNonNull(kind, "kind");
	}

	/**
	 * @param aggregate an aggregate
	 * @return the series it belongs to
	 */
	public static SeriesKey of(WindowAggregate aggregate) {
		AggregateWindow window = aggregate.window();
		return new SeriesKey(aggregate.metric(), window.kind(), window.size(), window.advance(), window.gap());
	}

	/**
	 * Whether this series is one a query asks for.
	 * @param metric the metric, or {@code null} for any
	 * @param kind the window kind, or {@code null} for any
	 * @param size the window size (or the gap of session windows), or {@code null} for
	 * any
	 * @return whether it matches
	 */
	public boolean matches(String metric, String kind, Duration size) {
		return (metric == null || metric.equals(this.metric)) && (kind == null || kind.equals(this.kind))
				&& (size == null || size.equals(this.size) || (this.size == null && size.equals(this.gap)));
	}

	/**
	 * @return the size of its windows, or the gap of session windows
	 */
	public Duration length() {
		return (this.size != null) ? this.size : this.gap;
	}

	/**
	 * @return whether its windows neither overlap nor leave room between each other, so
	 * that rolling them up into coarser bins counts every reading once
	 */
	public boolean isTumbling() {
		return AggregateWindow.TUMBLING.equals(this.kind) && this.size != null;
	}

}
