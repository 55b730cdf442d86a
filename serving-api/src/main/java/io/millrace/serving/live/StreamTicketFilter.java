package io.millrace.serving.live;

import java.io.IOException;
import java.net.URI;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.security.CallerAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code GET /api/v1/stream?ticket=...} by a {@link StreamTickets} ticket,
 * ahead of the shared security filter chain (which knows only headers): the ticket is
 * redeemed and the caller it was issued to, with its scopes, is put where that chain
 * loads the security context of a stateless request (a request attribute), so the chain's
 * access rules decide as for a request with the caller's key. An unknown, used or expired
 * ticket is a {@code 401} problem. Any other request, and a stream request that sends
 * credentials in headers, passes untouched.
 */
final class StreamTicketFilter extends OncePerRequestFilter {

	static final String PARAMETER = "ticket";

	static final String VIA = "stream-ticket";

	private final StreamTickets tickets;

	private final ObjectMapper json;

	private final RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

	StreamTicketFilter(StreamTickets tickets, ObjectMapper json) {
		this.tickets = tickets;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !HttpMethod.GET.matches(request.getMethod())
				|| !LiveController.STREAM_PATH.equals(request.getRequestURI())
				|| request.getParameter(PARAMETER) == null || request.getHeader(HttpHeaders.AUTHORIZATION) != null
				|| request.getHeader("X-API-Key") != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		StreamTickets.Ticket ticket = this.tickets.redeem(request.getParameter(PARAMETER)).orElse(null);
		if (ticket == null) {
			refuse(response);
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(new CallerAuthentication(ticket.caller(), ticket.authorities(), VIA));
		this.contexts.saveContext(context, request, response);
		chain.doFilter(request, response);
	}

	private void refuse(HttpServletResponse response) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
				"The stream ticket is unknown, used or expired: get a new one from POST /api/v1/stream/tickets");
		problem.setType(URI.create("https://millrace.io/problems/unauthorized"));
		problem.setTitle("Unauthorized");
		problem.setProperty("reason", "invalid-ticket");
		response.setStatus(HttpStatus.UNAUTHORIZED.value());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		this.json.writeValue(response.getOutputStream(), problem);
	}

}
