package io.millrace.alerting.lifecycle;

import java.time.Duration;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a window rule does when a series it has seen stops producing windows: after
 * {@code after} of processing time without a final window, the series goes to
 * {@code state}.
 *
 * @param after how long without a window counts as no data
 * @param state what no data means
 */
public record NoData(Duration after, State state) {

	/** What no data means for a series. */
	public enum State {

		/** No data is fine: a firing alert resolves, a pending one is dropped. */
		OK,

		/** No data is a problem: the alert fires (annotation {@code noData=true}). */
		ALERTING,

		/** Nothing changes: the alert stays as the last window left it. */
		KEEP;

		@JsonValue
		public String json() {
			return name().toLowerCase(Locale.ROOT);
		}

		@JsonCreator
		public static State parse(String text) {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		}

	}

}
