package io.millrace.serving.live;

import java.time.Instant;

import io.millrace.serving.api.ApiException;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Issues the tickets a browser's EventSource opens the live stream with. */
@RestController
class StreamTicketsController {

	private final StreamTickets tickets;

	StreamTicketsController(StreamTickets tickets) {
		this.tickets = tickets;
	}

	@Operation(summary = "A single-use ticket for the live stream",
			description = "For clients that cannot send headers on the stream (a browser's EventSource): open "
					+ "GET /api/v1/stream?ticket=<ticket> without credentials before expiresAt "
					+ "(millrace.serving.live.ticket-validity, 60 s by default). The ticket works once, on this "
					+ "instance, with the scopes of the caller that asked for it. API keys are never accepted in "
					+ "the query string.")
	@PostMapping("/api/v1/stream/tickets")
	ResponseEntity<TicketBody> issue(Authentication caller) {
		StreamTickets.Ticket ticket;
		try {
			ticket = this.tickets.issue(caller.getName(),
					caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
		}
		catch (StreamTickets.TooManyTicketsException ex) {
			throw ApiException.tooManyStreams(ex.getMessage());
		}
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new TicketBody(ticket.value(), ticket.expiresAt()));
	}

	/**
	 * The body of {@code POST /api/v1/stream/tickets}.
	 *
	 * @param ticket pass as {@code ?ticket=} to {@code GET /api/v1/stream}
	 * @param expiresAt when it stops being accepted
	 */
	record TicketBody(String ticket, Instant expiresAt) {
	}

}
