package io.millrace.model.aggregate;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.millrace.model.json.MillraceJson;

import static org.assertj.core.api.Assertions.assertThat;

class WindowAggregateTests {

	private final WindowAggregate aggregate = new WindowAggregate("s1", "value",
			AggregateWindow.tumbling(Instant.parse("2026-02-05T10:00:00Z"), Duration.ofMinutes(1)), 3, 6, 1, 3, 2, null,
			null, null, null, null, null, true, 0, WindowAggregate.ON_TIME, Instant.parse("2026-02-05T10:01:05Z"));

	@Test
	void shouldWriteTheBriefFieldNames() throws Exception {
		JsonNode tree = MillraceJson.mapper().readTree(MillraceJson.mapper().writeValueAsString(this.aggregate));

		assertThat(tree.get("final").asBoolean()).isTrue();
		assertThat(tree.get("timing").asText()).isEqualTo("on-time");
		assertThat(tree.has("isFinal")).isFalse();
		assertThat(tree.get("window").get("kind").asText()).isEqualTo("tumbling");
		assertThat(tree.get("window").get("start").asText()).isEqualTo("2026-02-05T10:00:00Z");
		assertThat(tree.get("window").get("end").asText()).isEqualTo("2026-02-05T10:01:00Z");
		assertThat(tree.get("window").get("size").asText()).isEqualTo("PT1M");
	}

	@Test
	void shouldRoundTrip() throws Exception {
		String json = MillraceJson.mapper().writeValueAsString(this.aggregate);

		assertThat(MillraceJson.mapper().readValue(json, WindowAggregate.class)).isEqualTo(this.aggregate);
	}

	@Test
	void keyShouldIdentifyTheWindowNotTheRevision() {
		WindowAggregate revised = new WindowAggregate("s1", "value", this.aggregate.window(), 4, 10, 1, 4, 2.5, null,
				null, null, null, null, null, true, 1, WindowAggregate.LATE, Instant.now());

		assertThat(revised.key()).isEqualTo(this.aggregate.key());
	}

}
