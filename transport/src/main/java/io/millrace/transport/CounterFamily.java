package io.millrace.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One counter name with one tag, the counter of each tag value registered on first use:
 * how the services declare "X by reason/outcome/table" once instead of a builder per call
 * site. {@link #registerAtZero} creates the known values up front, so that {@code rate()}
 * and {@code increase()} see 0 rather than nothing.
 */
public final class CounterFamily {

	private final MeterRegistry registry;

	private final String name;

	private final String description;

	private final String tag;

	private final String baseUnit;

	/**
	 * @param registry where the counters live
	 * @param name the counter's name (dotted, as Micrometer names meters)
	 * @param description its description
	 * @param tag the name of the tag that tells the counters apart
	 */
	public CounterFamily(MeterRegistry registry, String name, String description, String tag) {
		this(registry, name, description, tag, null);
	}

	private CounterFamily(MeterRegistry registry, String name, String description, String tag, String baseUnit) {
		this.registry = registry;
		this.name = name;
		this.description = description;
		this.tag = tag;
		this.baseUnit = baseUnit;
	}

	/**
	 * @param unit the counters' base unit, for example {@code bytes} or {@code seconds}
	 * @return the same family with that unit
	 */
	public CounterFamily withBaseUnit(String unit) {
		return new CounterFamily(this.registry, this.name, this.description, this.tag, unit);
	}

	/**
	 * @param values tag values to create now, at 0
	 * @return this family
	 */
	public CounterFamily registerAtZero(String... values) {
		for (String value : values) {
			of(value);
		}
		return this;
	}

	/**
	 * @param value the tag's value
	 * @return the counter of that value
	 */
	public Counter of(String value) {
		return Counter.builder(this.name)
			.description(this.description)
			.baseUnit(this.baseUnit)
			.tag(this.tag, value)
			.register(this.registry);
	}

}
