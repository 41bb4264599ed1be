package io.runnel.kernel.ingest;

import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.spool.SpoolId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The RFC 5321 4.4 trace header prepended to every message received, with the RFC 3848 protocol keyword and the
 * TLS details when the session was encrypted:
 * <pre>
 * Received: from client.example (client.example [192.0.2.1])
 *         by mx.example.net (Runnel) with ESMTPS id 0190c6f1...
 *         (TLSv1.3 TLS_AES_256_GCM_SHA384)
 *         for &lt;rcpt@example.com&gt;; Sat, 28 Nov 2026 17:31:56 +0000
 * </pre>
 */
final class ReceivedHeader {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReceivedHeader() {
    }

    static String format(String hostname, ReceptionFacts facts, SpoolId id, Optional<String> singleRecipient, Instant at) {
        StringBuilder h = new StringBuilder(256);
        h.append("Received: from ").append(clean(facts.helo()))
                .append(" ([").append(facts.peerAddress()).append("])\r\n");
        h.append("\tby ").append(hostname).append(" (Runnel) with ").append(facts.protocol()).append(" id ").append(id);
        facts.tls().ifPresent(tls -> h.append("\r\n\t(").append(tls.protocol()).append(' ').append(tls.cipher()).append(')'));
        singleRecipient.ifPresent(rcpt -> h.append("\r\n\tfor <").append(rcpt).append('>'));
        h.append(";\r\n\t").append(DATE.format(at)).append("\r\n");
        return h.toString();
    }

    /** The HELO argument is the client's word: keep it to one harmless token. */
    private static String clean(String helo) {
        StringBuilder out = new StringBuilder(Math.min(helo.length(), 255));
        for (int i = 0; i < helo.length() && out.length() < 255; i++) {
            char c = helo.charAt(i);
            out.append(c > 32 && c < 127 && c != '(' && c != ')' && c != ';' ? c : '_');
        }
        return out.toString();
    }
}
