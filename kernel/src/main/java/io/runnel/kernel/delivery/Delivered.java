package io.runnel.kernel.delivery;

import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.smtp.client.SessionFacts;
import io.runnel.kernel.dns.DeliveryPlan;
import java.util.Optional;

/**
 * Where an attempt went, for its records and bounces: the site, the egress pool and source, and the remote host
 * with its TLS details when a connection was made.
 */
record Delivered(String site, Optional<String> pool, Optional<String> source, Optional<SessionFacts> session,
                 Optional<DeliveryPlan> plan) {

    /** No site was found (the destination lookup failed). */
    static Delivered nowhere() {
        return new Delivered("", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Delivered via(ReadyQueue queue, Optional<SessionFacts> session) {
        DeliveryPlan plan = queue.plan();
        return new Delivered(plan.site(), Optional.of(queue.pool()), Optional.of(queue.source().name()), session,
                Optional.of(plan));
    }

    Optional<LogRecord.PeerAddress> peer() {
        return session.map(s -> new LogRecord.PeerAddress(s.serverName(), s.remoteAddress().getAddress().getHostAddress()));
    }

    Optional<TlsFacts> tls() {
        return session.flatMap(SessionFacts::tls);
    }

    Optional<String> remoteHost() {
        return session.map(SessionFacts::serverName);
    }

    LogRecord egress(LogRecord record) {
        return record.withEgress(pool, source);
    }
}
