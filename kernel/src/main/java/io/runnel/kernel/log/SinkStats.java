package io.runnel.kernel.log;

/**
 * What one log sink's shipper has done since start, for metrics and operators.
 *
 * @param sinkId        the sink (its plugin id)
 * @param shipped       records the sink accepted
 * @param failedBatches publish calls that failed (each retried later)
 * @param skipped       journal lines that were not records (damaged on disk), passed over
 * @param lagBytes      journal bytes not yet shipped (after the last accepted batch)
 * @param cursor        the saved cursor, {@code "<segment> <offset>"}
 */
public record SinkStats(String sinkId, long shipped, long failedBatches, long skipped, long lagBytes, String cursor) {
}
