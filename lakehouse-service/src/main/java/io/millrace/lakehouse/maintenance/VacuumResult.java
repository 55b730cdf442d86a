package io.millrace.lakehouse.maintenance;

/**
 * What one vacuum of a table did.
 *
 * @param filesDeleted unreferenced files older than the retention, deleted
 * @param bytesDeleted their size
 * @param youngUnreferenced unreferenced files kept because they are younger than the
 * retention (a commit in flight, or a time-travel reader's)
 * @param failures files that could not be deleted (tried again next time)
 */
public record VacuumResult(int filesDeleted, long bytesDeleted, int youngUnreferenced, int failures) {
}
