package io.millrace.alerting.rules;

import io.millrace.model.aggregate.WindowAggregate;

/** Which statistic of a window aggregate a rule looks at. */
public enum Statistic {

	COUNT, SUM, MIN, MAX, AVG;

	public double of(WindowAggregate aggregate) {
		return switch (this) {
			case COUNT -> aggregate.count();
			case SUM -> aggregate.sum();
			case MIN -> aggregate.min();
			case MAX -> aggregate.max();
			case AVG -> aggregate.avg();
		};
	}

}
