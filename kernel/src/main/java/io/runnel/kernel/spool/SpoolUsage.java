package io.runnel.kernel.spool;

/**
 * How full the spool is now.
 *
 * @param messages  messages stored
 * @param usedBytes the map's high-water mark (last page in use times page size); freed pages are reused before it grows
 * @param mapBytes  the configured map size, the most the spool can hold
 * @param liveBytes pages that hold stored messages now (tree and overflow pages of both tables, meta pages); unlike
 *                  {@code usedBytes} it shrinks as messages leave
 */
public record SpoolUsage(long messages, long usedBytes, long mapBytes, long liveBytes) {

    /** Room left in the map for new messages: the map size less the live pages. */
    public long freeBytes() {
        return Math.max(0, mapBytes - liveBytes);
    }
}
