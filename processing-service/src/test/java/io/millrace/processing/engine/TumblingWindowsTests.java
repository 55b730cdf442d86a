package io.millrace.processing.engine;

import java.time.Duration;
import java.time.Instant;

import io.millrace.model.aggregate.AggregateWindow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TumblingWindowsTests {

	private final TumblingWindows minutes = TumblingWindows.of(Duration.ofMinutes(1));

	@Test
	void windowsAreHalfOpenAndAlignedToTheEpoch() {
		AggregateWindow window = this.minutes.windowOf(Instant.parse("2026-11-25T10:00:59.999Z"));
		assertThat(window.kind()).isEqualTo("tumbling");
		assertThat(window.start()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
		assertThat(window.end()).isEqualTo(Instant.parse("2026-11-25T10:01:00Z"));
		assertThat(window.size()).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.minutes.windowOf(Instant.parse("2026-11-25T10:01:00Z")).start())
			.isEqualTo(Instant.parse("2026-11-25T10:01:00Z"));
	}

	@Test
	void instantsBeforeTheEpochFallInTheWindowBelowThem() {
		AggregateWindow window = this.minutes.windowOf(Instant.parse("1969-12-31T23:59:30Z"));
		assertThat(window.start()).isEqualTo(Instant.parse("1969-12-31T23:59:00Z"));
	}

	@Test
	void aWindowHasALength() {
		assertThatIllegalArgumentException().isThrownBy(() -> TumblingWindows.of(Duration.ZERO));
	}

}
