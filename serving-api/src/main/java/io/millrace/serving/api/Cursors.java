package io.millrace.serving.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opaque paging cursors: the position after the last item of a page (keyset paging, so a
 * page is stable while windows arrive or are evicted elsewhere), as base64url of a few
 * NUL-separated fields. A client passes {@code next} from one page as {@code cursor} to
 * get the following one.
 */
public final class Cursors {

	private static final char SEPARATOR = '\0';

	private Cursors() {
	}

	/**
	 * @param kind what the cursor pages through, checked on decode
	 * @param fields its position
	 * @return the cursor
	 */
	public static String encode(String kind, String... fields) {
		StringBuilder text = new StringBuilder(kind);
		for (String field : fields) {
			text.append(SEPARATOR).append((field != null) ? field : "");
		}
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @param kind what the cursor must page through
	 * @param cursor the cursor, or {@code null}
	 * @param fields how many fields it must have
	 * @return its fields, or {@code null} when no cursor was given
	 * @throws ApiException a 400 naming {@code cursor} when it is not one of this kind
	 */
	public static List<String> decode(String kind, String cursor, int fields) {
		if (cursor == null || cursor.isEmpty()) {
			return null;
		}
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			List<String> parts = Arrays.asList(text.split(String.valueOf(SEPARATOR), -1));
			if (parts.size() == fields + 1 && parts.get(0).equals(kind)) {
				return parts.subList(1, parts.size());
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64: refused below
		}
		throw ApiException.invalidParameter("cursor",
				"is not a cursor of this listing: pass 'next' from its last page");
	}

	/**
	 * @param limit the limit asked for, or {@code null}
	 * @param defaultLimit when none was asked for
	 * @param maxLimit the largest accepted
	 * @return the limit to use
	 * @throws ApiException a 400 naming {@code limit} when out of range
	 */
	public static int limit(Integer limit, int defaultLimit, int maxLimit) {
		if (limit == null) {
			return defaultLimit;
		}
		if (limit < 1 || limit > maxLimit) {
			throw ApiException.invalidParameter("limit", "must be between 1 and " + maxLimit + ", was " + limit);
		}
		return limit;
	}

}
