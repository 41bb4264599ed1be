package io.runnel.kernel.smtp.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How long the client waits in each phase before it gives up on the connection. The defaults follow RFC 5321
 * 4.5.3.2; a timer runs from the moment a reply becomes the next one expected until it arrives.
 *
 * @param connect  TCP connect
 * @param banner   the 220 greeting
 * @param ehlo     the reply to EHLO or HELO
 * @param startTls the reply to STARTTLS, then the TLS handshake
 * @param mail     the reply to MAIL
 * @param rcpt     the reply to each RCPT
 * @param data     the 354 reply to DATA
 * @param dataDot  the reply after the final dot
 * @param rset     the reply to RSET and QUIT
 */
public record ClientTimeouts(Duration connect, Duration banner, Duration ehlo, Duration startTls, Duration mail,
                             Duration rcpt, Duration data, Duration dataDot, Duration rset) {

    public ClientTimeouts {
        for (Duration d : List.of(connect, banner, ehlo, startTls, mail, rcpt, data, dataDot, rset)) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }

    /** RFC 5321 4.5.3.2 values: connect 60s, greeting 60s (the RFC says 5 min), EHLO 300s, STARTTLS 60s, MAIL 300s,
     *  RCPT 300s, DATA 120s, end of data 600s, RSET 60s. */
    public static ClientTimeouts defaults() {
        return new ClientTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(300),
                Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(120),
                Duration.ofSeconds(600), Duration.ofSeconds(60));
    }

    /** The same timeout for every phase; for tests. */
    public static ClientTimeouts all(Duration timeout) {
        return new ClientTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout);
    }
}
