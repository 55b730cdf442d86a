package io.millrace.serving.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.millrace.model.alert.AlertEvent;
import io.millrace.model.alert.AlertStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertBoardTests {

	static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	final AlertBoard board = new AlertBoard(Duration.ofHours(1), 3, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void keepsTheNewestEventPerFingerprintNewestFirst() {
		this.board.accept(alert("a1", "s1", AlertStatus.FIRING, NOW.minusSeconds(60), null));
		this.board.accept(alert("b1", "s2", AlertStatus.FIRING, NOW.minusSeconds(50), null));
		this.board.accept(alert("a2", "s1", AlertStatus.RESOLVED, NOW.minusSeconds(60), NOW.minusSeconds(10)));
		assertThat(this.board.board((alert) -> true, 10)).extracting(AlertEvent::alertId).containsExactly("a2", "b1");
		assertThat(this.board.board((alert) -> alert.status() == AlertStatus.FIRING, 10))
			.extracting(AlertEvent::alertId)
			.containsExactly("b1");
		assertThat(this.board.recent((alert) -> true, 2)).extracting(AlertEvent::alertId).containsExactly("a2", "b1");
		assertThat(this.board.firingCount()).isEqualTo(1);
		assertThat(this.board.after(1)).extracting((entry) -> entry.event().alertId()).containsExactly("b1", "a2");
	}

	@Test
	void forgetsResolvedAlertsAndChangesPastTheRetentionButNotFiringOnes() {
		this.board.accept(alert("old-firing", "s1", AlertStatus.FIRING, NOW.minus(Duration.ofHours(5)), null));
		this.board.accept(alert("old-resolved", "s2", AlertStatus.RESOLVED, NOW.minus(Duration.ofHours(5)),
				NOW.minus(Duration.ofHours(2))));
		assertThat(this.board.board((alert) -> true, 10)).extracting(AlertEvent::alertId).containsExactly("old-firing");
		assertThat(this.board.recent((alert) -> true, 10)).isEmpty();
		assertThat(this.board.evictedThrough()).isEqualTo(2);
	}

	@Test
	void holdsAtMostMaxAlertsDroppingTheOldestChanges() {
		for (int i = 0; i < 5; i++) {
			this.board.accept(alert("x" + i, "s" + i, AlertStatus.FIRING, NOW.minusSeconds(100 - i), null));
		}
		assertThat(this.board.size()).isEqualTo(3);
		assertThat(this.board.board((alert) -> true, 10)).extracting(AlertEvent::alertId)
			.containsExactly("x4", "x3", "x2");
		assertThat(this.board.recent((alert) -> true, 10)).hasSize(3);
		assertThat(this.board.evictedThrough()).isEqualTo(2);
	}

	static AlertEvent alert(String id, String sensor, AlertStatus status, Instant startsAt, Instant endsAt) {
		return new AlertEvent(id, "hot", "hot/" + sensor + "/t", status, "warning", sensor, "t", 10, 5, null, startsAt,
				endsAt, Map.of(), Map.of());
	}

}
