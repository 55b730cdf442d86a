package io.millrace.serving.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StreamTicketsTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	final StreamTickets tickets = new StreamTickets(Duration.ofSeconds(60), 2, this.clock);

	@Test
	void aTicketIsRedeemedOnceWithinItsValidityAndCarriesTheCallersScopes() {
		StreamTickets.Ticket ticket = this.tickets.issue("dashboard", List.of("SCOPE_read"));
		assertThat(ticket.expiresAt()).isEqualTo(this.clock.instant().plusSeconds(60));
		assertThat(ticket.toString()).doesNotContain(ticket.value());
		assertThat(this.tickets.redeem(ticket.value())).hasValueSatisfying((redeemed) -> {
			assertThat(redeemed.caller()).isEqualTo("dashboard");
			assertThat(redeemed.authorities()).containsExactly("SCOPE_read");
		});
		assertThat(this.tickets.redeem(ticket.value())).isEmpty();
		assertThat(this.tickets.redeem("made-up")).isEmpty();
	}

	@Test
	void anExpiredTicketIsRefusedAndTheNumberOutstandingIsBounded() {
		StreamTickets.Ticket first = this.tickets.issue("a", List.of());
		StreamTickets.Ticket second = this.tickets.issue("b", List.of());
		assertThat(first.value()).isNotEqualTo(second.value());
		assertThatExceptionOfType(StreamTickets.TooManyTicketsException.class)
			.isThrownBy(() -> this.tickets.issue("c", List.of()));
		this.clock.now = this.clock.now.plusSeconds(60);
		// Expired ones make room.
		this.tickets.issue("c", List.of());
		assertThat(this.tickets.outstanding()).isEqualTo(1);
		assertThat(this.tickets.redeem(first.value())).isEmpty();
		assertThat(this.tickets.redeem(second.value())).isEmpty();
	}

	static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
