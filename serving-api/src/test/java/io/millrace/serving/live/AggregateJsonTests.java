package io.millrace.serving.live;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.millrace.model.aggregate.WindowAggregate;
import io.millrace.serving.store.StoredWindow;
import io.millrace.serving.store.WindowStore;
import org.junit.jupiter.api.Test;

import static io.millrace.serving.TestAggregates.T0;
import static io.millrace.serving.TestAggregates.minute;
import static org.assertj.core.api.Assertions.assertThat;

class AggregateJsonTests {

	private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

	private final WindowStore store = new WindowStore(Duration.ofHours(1), 1_000_000, Duration.ZERO,
			Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC));

	@Test
	void writesEachVersionAsTheMapperDoesOnceAndSharesTheText() throws Exception {
		AggregateJson json = new AggregateJson(this.mapper);
		this.store.upsert(minute("s1", "t", 0, 1, false, 0));
		this.store.upsert(minute("s1", "t", 1, 2, true, 0));
		List<StoredWindow> versions = new ArrayList<>(this.store.changedAfter(0));
		for (StoredWindow version : versions) {
			String text = json.of(version);
			assertThat(text).isEqualTo(this.mapper.writeValueAsString(version.toAggregate()));
			assertThat(this.mapper.readValue(text, WindowAggregate.class)).isEqualTo(version.toAggregate());
			assertThat(json.of(version)).as("the same text for every stream").isSameAs(text);
		}
		// A newer revision of the same window is a new version with its own text.
		this.store.upsert(minute("s1", "t", 0, 5, true, 1));
		StoredWindow revised = this.store.sensor("s1").series().get(0).windows().firstEntry().getValue();
		assertThat(json.of(revised)).contains("\"max\":5.0").isNotEqualTo(json.of(versions.get(0)));
	}

}
