package io.millrace.model.sensor;

import java.util.regex.Pattern;

/**
 * The one syntax for selecting sensors by id pattern, shared by alert rules and replays:
 * {@code *} stands for any characters (none included), {@code ?} for exactly one, and
 * every other character is literal — so ids with regex metacharacters ({@code .},
 * {@code +}, …) need no escaping.
 */
public final class SensorIdGlob {

	private SensorIdGlob() {
	}

	/**
	 * @param glob a pattern such as {@code plant-1/*} or {@code line-?-temp}
	 * @return whether it has a wildcard at all (otherwise it is an exact id)
	 */
	public static boolean hasWildcard(String glob) {
		return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
	}

	/**
	 * @param glob the pattern
	 * @return the regular expression it stands for, to be matched against the whole id
	 * ({@link java.util.regex.Matcher#matches()}); ids may contain line breaks
	 */
	public static Pattern compile(String glob) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*' || c == '?') {
				if (literal.length() > 0) {
					regex.append(Pattern.quote(literal.toString()));
					literal.setLength(0);
				}
				regex.append((c == '*') ? ".*" : ".");
			}
			else {
				literal.append(c);
			}
		}
		if (literal.length() > 0) {
			regex.append(Pattern.quote(literal.toString()));
		}
		return Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

}
