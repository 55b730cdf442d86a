package io.millrace.alerting.lifecycle;

/**
 * One thing wrong with a definition, for a 400 problem detail.
 *
 * @param field where, as a JSON pointer into the submitted document, for example
 * {@code /threshold} or {@code /selector/sensorIdPattern}
 * @param message what is wrong, in words a rule author understands
 */
public record FieldError(String field, String message) {
}
