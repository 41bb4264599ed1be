package io.runnel.api.log;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Ships delivery-log records somewhere (files, a webhook, a message broker). The kernel journals every record to
 * disk first and feeds each sink from that journal with a cursor of its own, so a slow or broken sink delays only
 * its own records, never the mail, and loses none: records wait on disk until the sink takes them.
 *
 * <p>Each sink is called from one thread of its own, batch after batch, in journal order (so in order per tenant
 * too). It may block while it talks to its destination, within its own timeouts.
 *
 * @since API 1.0
 */
public interface LogSink extends ExtensionPoint {

    /**
     * Delivers {@code batch}, oldest first. Returning normally means the destination has every record of the batch
     * (as durably as it offers: a broker's confirm, a 2xx, a flushed file), and the kernel moves this sink's cursor
     * past them. Throwing means the kernel offers the same records again later, with backoff: delivery is at least
     * once; a repeat is byte-identical ({@link LogEvent#json()}), so a sink that wants exactly once drops repeats by a
     * hash of it.
     */
    void publish(List<LogEvent> batch) throws Exception;

    /** The most records the kernel puts in one batch for this sink. */
    default int maxBatchSize() {
        return 500;
    }
}
