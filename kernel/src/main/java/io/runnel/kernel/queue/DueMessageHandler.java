package io.runnel.kernel.queue;

import io.runnel.kernel.spool.SpoolId;

/** Takes a message whose time has come in one scheduled queue: the delivery side implements it. */
public interface DueMessageHandler {

    /** Called on the scheduler thread; must not block. The handler owns the message until it reschedules or ends it. */
    void due(QueueName queue, SpoolId id);
}
