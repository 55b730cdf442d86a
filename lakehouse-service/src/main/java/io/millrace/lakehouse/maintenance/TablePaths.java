package io.millrace.lakehouse.maintenance;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A file's path relative to its table's root, decoded, so that a path from the Delta log
 * (relative and URI-encoded, e.g. {@code event_date=2026-03-01/part-….parquet}) and a
 * path from a storage listing (absolute) can be compared.
 */
final class TablePaths {

	private final String root;

	/**
	 * @param tablePath the table's location as the storage gives it
	 */
	TablePaths(String tablePath) {
		this.root = tablePath.endsWith("/") ? tablePath : tablePath + "/";
	}

	/**
	 * @param listed a path from a listing of the table's directory
	 * @return the path relative to the table root, decoded; {@code null} when it is not
	 * under the root
	 */
	String ofListed(String listed) {
		return listed.startsWith(this.root) ? decode(listed.substring(this.root.length())) : null;
	}

	/**
	 * @param logged a path of an add or remove action
	 * @return the path relative to the table root, decoded
	 * @throws IllegalStateException when the log names an absolute path outside the root:
	 * a vacuum that could not recognise a referenced file must not run
	 */
	String ofLogged(String logged) {
		if (logged.startsWith(this.root)) {
			return decode(logged.substring(this.root.length()));
		}
		if (logged.contains(":") || logged.startsWith("/")) {
			String rootPath = URI.create(this.root).getPath();
			String path = URI.create(logged).getPath();
			if (rootPath != null && path != null && path.startsWith(rootPath)) {
				return path.substring(rootPath.length());
			}
			throw new IllegalStateException("The log references " + logged + ", outside the table root " + this.root
					+ "; not vacuuming a table whose files cannot all be recognised");
		}
		return decode(logged);
	}

	private static String decode(String path) {
		try {
			return new URI(path).getPath();
		}
		catch (URISyntaxException ex) {
			// Not URI-encoded (a blob name with a space): it is its own name.
			return path;
		}
	}

}
