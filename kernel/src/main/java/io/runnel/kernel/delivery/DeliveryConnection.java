package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.delivery.ReadyQueue.Work;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.shaping.store.ConnectionLeases;
import io.runnel.kernel.smtp.client.OutboundMessage;
import io.runnel.kernel.smtp.client.SmtpClientException;
import io.runnel.kernel.smtp.client.SmtpConnection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * One outbound connection serving one ready queue: connects, then sends waiting messages one after the other
 * until the queue is empty or {@code max_deliveries_per_connection} is reached, then says QUIT. Asynchronous
 * throughout: each step continues when the previous one completes.
 */
final class DeliveryConnection {

    private final DeliveryEngine engine;
    private final ReadyQueue queue;
    private final Connector connector;
    /** The queue's shaping when the connection was opened: a reload applies to the next connection. */
    private final EgressPath path;
    /** The shared connection limits this connection counts against, released when it ends. */
    private final List<ConnectionLeases.Lease> leases;
    private SmtpConnection connection;
    private int deliveries;

    DeliveryConnection(DeliveryEngine engine, ReadyQueue queue, Connector connector, List<ConnectionLeases.Lease> leases) {
        this.engine = engine;
        this.queue = queue;
        this.connector = connector;
        this.path = queue.path();
        this.leases = List.copyOf(leases);
    }

    void start() {
        connector.connect(queue.plan(), queue.source(), path).whenComplete((opened, failure) -> {
            if (failure != null) {
                engine.connectionFailed(queue, reply(failure));
                end();
                return;
            }
            connection = opened;
            queue.connected();
            next();
        });
    }

    /**
     * Sends the next waiting message; with none, waits idle for more before saying QUIT. When the message rate holds
     * the waiting ones back, tries again once it allows one (the connection stays open, counted as busy), or says
     * QUIT when that is further off than {@code idle_timeout} (the engine opens a connection again in time).
     */
    void next() {
        boolean usable = engine.running() && deliveries < path.limits().maxDeliveriesPerConnection() && connection.isReusable();
        ReadyQueue.Take take = usable ? queue.poll(engine.now()) : ReadyQueue.Take.NOTHING;
        if (take.retryAfter().isPresent()) {
            if (take.retryAfter().get().compareTo(path.idleTimeout()) > 0) {
                quit();
            } else {
                engine.after(take.retryAfter().get(), this::next);
            }
            return;
        }
        Optional<Work> work = take.work();
        if (work.isEmpty()) {
            if (usable && queue.park(this)) {
                engine.afterIdle(path.idleTimeout(), () -> {
                    if (queue.unpark(this)) {
                        quit();
                    }
                });
                return;
            }
            if (usable) {
                next(); // work arrived between poll and park
                return;
            }
            quit();
            return;
        }
        engine.roomIn(queue);
        engine.prepare(work.get(), path.maxRecipientsPerBatch()).whenComplete((message, failure) -> {
            if (failure != null || message.isEmpty()) {
                next(); // gone or already done meanwhile
                return;
            }
            send(work.get(), message.get());
        });
    }

    private void send(Work work, OutboundMessage message) {
        deliveries++;
        connection.send(message).whenComplete((result, failure) -> {
            Delivered where = Delivered.via(queue, Optional.of(connection.facts()));
            engine.afterSend(work, message, result, failure, where).whenComplete((done, settleFailure) -> {
                if (failure != null) {
                    // the session is broken; what is left waits for a fresh connection, which may only open once this
                    // one is closed: the site's connection_limit counts sockets, not sessions
                    connection.close().whenComplete((closed, closeFailure) -> end());
                } else {
                    next();
                }
            });
        });
    }

    void quit() {
        connection.quit().whenComplete((done, failure) -> end());
    }

    private void end() {
        queue.releaseConnection();
        engine.connectionEnded(queue, leases); // and work that arrived while this connection was closing may go
    }

    private static SmtpReply reply(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SmtpClientException e) {
            return e.reply();
        }
        return cause instanceof DestinationUnreachable u ? u.reply() : SmtpReply.of(451, "4.4.1", "Connection failed");
    }
}
