package io.runnel.kernel.spool;

/**
 * How full the spool is now.
 *
 * @param messages  messages stored
 * @param usedBytes the map's high-water mark (last page in use times page size); freed pages are reused before it grows
 * @param mapBytes  the configured map size, the most the spool can hold
 */
public record SpoolUsage(long messages, long usedBytes, long mapBytes) {
}
