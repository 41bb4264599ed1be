package io.runnel.kernel.spool;

/**
 * Group-commit counters since the spool was opened.
 *
 * @param messagesStored new messages committed
 * @param commits        write transactions committed (each one fsync in the default sync mode)
 * @param writesFailed   writes refused (spool full, disk error)
 */
public record SpoolStats(long messagesStored, long commits, long writesFailed) {

    /** Average number of new messages per commit; 0 before the first commit. */
    public double messagesPerCommit() {
        return commits == 0 ? 0 : (double) messagesStored / commits;
    }
}
