package io.runnel.kernel.smtp.server;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.anvil.Anvil;
import io.runnel.kernel.anvil.AuthFailures;
import io.runnel.kernel.auth.CredentialVerifier;
import io.runnel.kernel.boot.LogGate;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.ServerConfig;
import io.runnel.kernel.ingest.Reception;
import io.runnel.kernel.metrics.ReceptionMetrics;
import io.runnel.kernel.spool.SpoolRoom;
import io.runnel.kernel.tls.ServerTls;
import io.runnel.kernel.trace.SessionTracer;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * What every session of one listener shares: its config, TLS context, per-client counters, clock and the services it
 * hands work to. {@code spoolFailures} keeps a full spool from writing a log line per refused message.
 */
record ListenerContext(ListenerConfig listener, ServerConfig server, Optional<ServerTls> tls, Reception reception,
                       CredentialVerifier credentials, ReceptionMetrics metrics, SessionTracer tracer, Anvil anvil,
                       AuthFailures authFailures, Clock clock, SpoolRoom room, LogGate spoolFailures) {

    /** Whether a client at {@code peer} may send to any domain (relay), before any AUTH. */
    boolean relayAllowed(InetAddress peer) {
        return listener.relayFrom().stream().anyMatch(cidr -> cidr.contains(peer));
    }

    /** Whether {@code recipient} is accepted from a session that may not relay. */
    boolean acceptsWithoutRelay(EmailAddress recipient) {
        return server.acceptsFromAnyone(recipient);
    }

    /** AUTH is offered on encrypted sessions of listeners that enable it, when users exist. */
    boolean authOffered() {
        return listener.authEnabled() && tls.isPresent() && credentials.hasUsers();
    }
}
