package io.millrace.serving.api;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * An answer other than success from the query API, as a problem detail: each factory is
 * one kind of problem with its own stable {@code type}
 * ({@code https://millrace.io/problems/<type>}).
 */
public final class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final String parameter;

	private final Map<String, Object> properties;

	private ApiException(HttpStatus status, String type, String title, String detail, String parameter) {
		this(status, type, title, detail, parameter, Map.of());
	}

	private ApiException(HttpStatus status, String type, String title, String detail, String parameter,
			Map<String, Object> properties) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.parameter = parameter;
		this.properties = properties;
	}

	/**
	 * A request body that is not acceptable: {@code invalid-body} (400), with an
	 * {@code errors} member listing each problem, each naming its {@code field} (a JSON
	 * pointer-like path such as {@code /location/latitude}) and, for imports, its
	 * {@code row}.
	 * @param detail what is wrong, in words
	 * @param errors each problem
	 * @return the problem
	 */
	public static ApiException invalidBody(String detail, List<Map<String, Object>> errors) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid-body", "Invalid request body", detail, null,
				Map.of("errors", errors));
	}

	/**
	 * @param detail why
	 * @return a 404 problem, {@code unknown-sensor-metadata}
	 */
	public static ApiException unknownMetadata(String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, "unknown-sensor-metadata", "Sensor not registered", detail, null);
	}

	/**
	 * An {@code If-Match} or {@code If-None-Match} that does not hold.
	 * @param detail why
	 * @param current the resource's current ETag, or {@code null} when it does not exist
	 * @return a 412 problem, {@code precondition-failed}
	 */
	public static ApiException preconditionFailed(String detail, String current) {
		return new ApiException(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", detail,
				null, (current != null) ? Map.of("currentETag", current) : Map.of());
	}

	/**
	 * @param detail why
	 * @return a 415 problem, {@code unsupported-media-type}
	 */
	public static ApiException unsupportedMediaType(String detail) {
		return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				detail, null);
	}

	/**
	 * @param detail what the lakehouse's history API did
	 * @return {@code 503 history-unavailable}
	 */
	public static ApiException historyUnavailable(String detail) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "history-unavailable", "History unavailable", detail,
				null);
	}

	/**
	 * @param detail why
	 * @return a 503 problem, {@code registry-unavailable}: the write could not be
	 * published
	 */
	public static ApiException registryUnavailable(String detail) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "registry-unavailable", "Registry unavailable", detail,
				null);
	}

	/**
	 * A query parameter that is not acceptable: {@code invalid-parameter}, naming it in
	 * the problem's {@code parameter} member.
	 * @param parameter the parameter's name as the client sent it
	 * @param detail what is wrong, in words
	 * @return the problem
	 */
	public static ApiException invalidParameter(String parameter, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
				"'" + parameter + "': " + detail, parameter);
	}

	/**
	 * A time range whose end is not after its start.
	 * @param detail what is wrong, in words
	 * @return the problem
	 */
	public static ApiException invalidTimeRange(String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid-time-range", "Invalid time range", detail, "from");
	}

	/**
	 * @param sensorId a sensor the store does not hold
	 * @return the problem
	 */
	public static ApiException unknownSensor(String sensorId) {
		return new ApiException(HttpStatus.NOT_FOUND, "unknown-sensor", "Unknown sensor",
				"No aggregates for sensor '" + sensorId + "' within the retention", null);
	}

	/**
	 * A feature that needs a part of the platform this deployment does not have.
	 * @param type the stable last segment of the type URI
	 * @param title the short, stable summary
	 * @param detail this occurrence, in words
	 * @param parameter the parameter that asked for it
	 * @return the problem
	 */
	public static ApiException unavailable(String type, String title, String detail, String parameter) {
		return new ApiException(HttpStatus.NOT_IMPLEMENTED, type, title, detail, parameter);
	}

	/**
	 * @param detail why
	 * @return a 503 problem, {@code too-many-streams}
	 */
	public static ApiException tooManyStreams(String detail) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams", "Too many streams", detail, null);
	}

	/**
	 * @return the answer's status
	 */
	public HttpStatus status() {
		return this.status;
	}

	String type() {
		return this.type;
	}

	String title() {
		return this.title;
	}

	String parameter() {
		return this.parameter;
	}

	Map<String, Object> properties() {
		return this.properties;
	}

}
