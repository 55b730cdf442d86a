package io.millrace.ingest.events;

/**
 * One problem of one event of a request.
 *
 * @param index the event's position in the batch, or {@code null} for a single event
 * @param pointer JSON pointer into the request of what is wrong
 * @param reason what is wrong
 */
record BadEvent(Integer index, String pointer, String reason) {
}
