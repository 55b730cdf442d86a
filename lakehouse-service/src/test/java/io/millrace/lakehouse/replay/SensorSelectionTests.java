package io.millrace.lakehouse.replay;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SensorSelectionTests {

	@Test
	void noSelectorsTakeEverySensor() {
		assertThat(new SensorSelection(null).includes("anything")).isTrue();
		assertThat(new SensorSelection(List.of()).includes("anything")).isTrue();
	}

	@Test
	void idsAreExactAndPatternsAreGlobsWithEverythingElseLiteral() {
		SensorSelection selection = new SensorSelection(List.of("valve-7", "pump-*", "s?.x"));
		assertThat(selection.includes("valve-7")).isTrue();
		assertThat(selection.includes("valve-70")).isFalse();
		assertThat(selection.includes("pump-")).isTrue();
		assertThat(selection.includes("pump-12/a")).isTrue();
		assertThat(selection.includes("xpump-1")).isFalse();
		assertThat(selection.includes("s1.x")).isTrue();
		// "." is literal, not any character.
		assertThat(selection.includes("s1ax")).isFalse();
	}

	@Test
	void theTokenBucketHoldsTheRate() throws InterruptedException {
		TokenBucket bucket = new TokenBucket(200);
		long started = System.nanoTime();
		for (int i = 0; i < 10; i++) {
			bucket.acquire(10);
		}
		// 100 permits at 200 a second, from an empty bucket: at least half a second.
		assertThat((System.nanoTime() - started) / 1e9).isGreaterThanOrEqualTo(0.49);
	}

}
