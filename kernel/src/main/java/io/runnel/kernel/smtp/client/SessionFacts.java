package io.runnel.kernel.smtp.client;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What was learnt while opening a connection, for delivery logs.
 *
 * @param remoteAddress the server's address
 * @param localAddress  the address the connection was made from
 * @param serverName    the MX host name the caller connected to
 * @param greeting      the 220 banner
 * @param helloReply    the reply to the last EHLO (or HELO), after STARTTLS when TLS is on
 * @param esmtp         true when EHLO was accepted, false after the HELO fallback
 * @param extensions    EHLO keywords in upper case mapped to their parameters ("" when none)
 * @param tls           protocol and cipher when STARTTLS succeeded
 */
public record SessionFacts(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String serverName,
                           SmtpReply greeting, SmtpReply helloReply, boolean esmtp, Map<String, String> extensions,
                           Optional<TlsFacts> tls) {

    public SessionFacts {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(helloReply, "helloReply");
        extensions = Map.copyOf(extensions);
        Objects.requireNonNull(tls, "tls");
    }

    /** Whether the server advertised {@code keyword} (case-insensitive). */
    public boolean offers(String keyword) {
        return extensions.containsKey(keyword.toUpperCase(Locale.ROOT));
    }
}
