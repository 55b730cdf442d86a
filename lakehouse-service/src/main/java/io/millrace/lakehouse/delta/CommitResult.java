package io.millrace.lakehouse.delta;

/**
 * One commit of a source partition's rows.
 *
 * @param tableVersion the table version committed
 * @param rows rows appended
 * @param files data files added
 * @param bytes bytes of those files
 * @param attempts commit attempts (more than one when other writers committed first)
 * @param hooksRun post-commit hooks run (checkpoints, checksums)
 */
public record CommitResult(long tableVersion, long rows, int files, long bytes, int attempts, int hooksRun) {
}
