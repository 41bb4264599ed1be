package io.runnel.kernel.log;

/**
 * The journal on disk, as the last retention run saw it.
 *
 * @param journalBytes     total size of the segment files
 * @param segments         segment files
 * @param deletedSegments  segments deleted since start (shipped by every sink, and old or over the size bound)
 * @param overLimitRuns    retention runs that found the journal over {@code max_size} with only unshipped records
 *                         left to delete, and so deleted nothing more (warned)
 */
public record RetentionStats(long journalBytes, int segments, long deletedSegments, long overLimitRuns) {
}
