package io.millrace.serving.live;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use tickets that let a browser's {@code EventSource}, which cannot send headers,
 * open the live stream: a caller with credentials asks for one, then passes it as
 * {@code ?ticket=}. A ticket is 256 random bits, valid for a short time, redeemed once
 * (atomically: two requests with one ticket cannot both pass), and carries the scopes of
 * the caller it was issued to. Only tickets live in URLs, never API keys. Plain Java; a
 * ticket is valid on the instance that issued it only.
 */
public final class StreamTickets {

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Ticket> outstanding = new ConcurrentHashMap<>();

	private final Duration validity;

	private final int maxOutstanding;

	private final Clock clock;

	/**
	 * @param validity how long a ticket may be redeemed after it was issued
	 * @param maxOutstanding most tickets issued and neither redeemed nor expired
	 * @param clock the clock validity is measured with
	 */
	public StreamTickets(Duration validity, int maxOutstanding, Clock clock) {
		this.validity = validity;
		this.maxOutstanding = maxOutstanding;
		this.clock = clock;
	}

	/**
	 * @param caller the name of the caller
	 * @param authorities its Spring Security authorities (its scopes)
	 * @return a new ticket
	 * @throws TooManyTicketsException when {@code maxOutstanding} tickets are outstanding
	 */
	public Ticket issue(String caller, List<String> authorities) {
		Instant now = this.clock.instant();
		if (this.outstanding.size() >= this.maxOutstanding) {
			this.outstanding.values().removeIf((ticket) -> !now.isBefore(ticket.expiresAt()));
			if (this.outstanding.size() >= this.maxOutstanding) {
				throw new TooManyTicketsException(this.maxOutstanding);
			}
		}
		byte[] bits = new byte[32];
		this.random.nextBytes(bits);
		String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
		Ticket ticket = new Ticket(value, caller, List.copyOf(authorities), now.plus(this.validity));
		this.outstanding.put(value, ticket);
		return ticket;
	}

	/**
	 * Redeem a ticket: it is gone afterwards, whether it was still valid or not.
	 * @param value the ticket as the client passed it
	 * @return the ticket, when it was issued, not redeemed yet and not expired
	 */
	public Optional<Ticket> redeem(String value) {
		Ticket ticket = this.outstanding.remove(value);
		if (ticket == null || !this.clock.instant().isBefore(ticket.expiresAt())) {
			return Optional.empty();
		}
		return Optional.of(ticket);
	}

	/**
	 * @return tickets outstanding (some may have expired)
	 */
	public int outstanding() {
		return this.outstanding.size();
	}

	/**
	 * One ticket.
	 *
	 * @param value what the client passes as {@code ?ticket=}
	 * @param caller who asked for it
	 * @param authorities the caller's authorities
	 * @param expiresAt when it stops being valid
	 */
	public record Ticket(String value, String caller, List<String> authorities, Instant expiresAt) {

		@Override
		public String toString() {
			// Never the value: it is a credential.
			return "Ticket[caller=" + this.caller + ", expiresAt=" + this.expiresAt + "]";
		}

	}

	/** Too many tickets are outstanding. */
	public static final class TooManyTicketsException extends RuntimeException {

		TooManyTicketsException(int max) {
			super(max + " stream tickets are outstanding, the most this instance keeps "
					+ "(millrace.serving.live.max-tickets); redeem or let them expire");
		}

	}

}
