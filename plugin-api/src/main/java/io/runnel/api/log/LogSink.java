package io.runnel.api.log;

import org.pf4j.ExtensionPoint;

/**
 * Receives delivery-log events (to ship them to Kafka, a webhook, a file). Called from the kernel's log dispatcher
 * thread, one event at a time per sink, never on the mail path: it must be fast and must not block; a sink that
 * needs I/O queues the event and writes from its own thread. Exceptions are counted and the event is dropped for
 * this sink; mail is never held up by a sink.
 *
 * @since API 1.0
 */
public interface LogSink extends ExtensionPoint {

    void accept(LogEvent event) throws Exception;
}
