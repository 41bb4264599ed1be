package io.runnel.kernel.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [[listener]]}: where it binds and how it treats its clients.
 *
 * @param name             a name for logs and Received headers' "by" clause context
 * @param bind             address and port to listen on
 * @param hostname         the name in the greeting, the EHLO reply and the Received header
 * @param banner           text after the hostname in the 220 greeting
 * @param tls              STARTTLS offered, TLS from the first byte, or none
 * @param certificate      PEM certificate chain; a self-signed one is made when absent
 * @param privateKey       PEM private key of {@code certificate}
 * @param relayFrom        clients in these networks may relay to any domain
 * @param authEnabled      offer AUTH PLAIN/LOGIN (only ever on an encrypted session)
 * @param limits           size, recipient, error and time limits
 * @param bareLineEndings  what to do with a bare CR or LF in message content
 * @param clients          per-client connection, rate and AUTH failure limits
 * @param tlsSettings      TLS versions and cipher suites
 */
public record ListenerConfig(String name, InetSocketAddress bind, String hostname, String banner, TlsMode tls,
                             Optional<Path> certificate, Optional<Path> privateKey, List<Cidr> relayFrom,
                             boolean authEnabled, Limits limits, BareLineEndings bareLineEndings, ClientLimits clients,
                             TlsSettings tlsSettings) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        relayFrom = List.copyOf(relayFrom);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(bareLineEndings, "bareLineEndings");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(tlsSettings, "tlsSettings");
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("tls_certificate and tls_private_key go together");
        }
    }

    /**
     * @param maxMessageSize     octets of message content accepted (advertised with SIZE)
     * @param maxRecipients      RCPT commands accepted per transaction
     * @param maxErrors          protocol errors before the session is closed with 421
     * @param maxCommandLine     octets of a command line, CRLF included (RFC 5321: at least 512)
     * @param maxConnections     concurrent sessions on this listener
     * @param idleTimeout        time without input before 421 and close
     * @param greetingDelay      wait this long before the greeting; a client that talks first is refused
     * @param minDataRate        octets per second message content must average: DATA and BDAT get {@code idleTimeout}
     *                           plus one second per this many octets received (Postfix smtpd_min_data_rate)
     * @param maxJunkCommands    NOOP, RSET, VRFY, HELP, HELO and EHLO commands per session before 421 and close
     */
    public record Limits(long maxMessageSize, int maxRecipients, int maxErrors, int maxCommandLine, int maxConnections,
                         Duration idleTimeout, Duration greetingDelay, long minDataRate, int maxJunkCommands) {
        public Limits {
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("max_message_size must be positive");
            }
            if (maxRecipients < 1 || maxErrors < 1 || maxConnections < 1 || minDataRate < 1 || maxJunkCommands < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            if (maxCommandLine < 512) {
                throw new IllegalArgumentException("max_command_line must be at least 512 (RFC 5321 4.5.3.1.4)");
            }
            if (idleTimeout.isZero() || idleTimeout.isNegative() || greetingDelay.isNegative()) {
                throw new IllegalArgumentException("idle_timeout must be positive, greeting_delay not negative");
            }
        }
    }

    public enum TlsMode {
        /** Plain text at first; STARTTLS offered (RFC 3207). */
        STARTTLS,
        /** TLS from the first byte (RFC 8314 implicit TLS, port 465). */
        IMPLICIT,
        /** No TLS at all (and so no AUTH). */
        OFF
    }

    public enum BareLineEndings {
        /** Refuse the message with 550 5.6.0: the safe answer to SMTP smuggling. */
        REJECT,
        /** Turn a bare CR or LF into CRLF; the end of data is still only CRLF.CRLF. */
        NORMALIZE
    }
}
