package io.runnel.kernel.message;

import java.util.Objects;
import java.util.Optional;

/**
 * What the listener knew about the session that handed a message in.
 *
 * @param listener     the listener's name from the config
 * @param peerAddress  the client's IP address, as text
 * @param helo         the EHLO/HELO argument
 * @param protocol     the RFC 3848 "with" keyword: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA
 * @param authIdentity the authenticated user, when the session authenticated
 * @param tls          the TLS protocol and cipher, when the session was encrypted
 */
public record ReceptionFacts(String listener, String peerAddress, String helo, String protocol,
                             Optional<String> authIdentity, Optional<TlsFacts> tls) {

    public ReceptionFacts {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(authIdentity, "authIdentity");
        Objects.requireNonNull(tls, "tls");
    }

    /** TLS details of a session, e.g. {@code TLSv1.3} and {@code TLS_AES_256_GCM_SHA384}. */
    public record TlsFacts(String protocol, String cipher) {
        public TlsFacts {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(cipher, "cipher");
        }
    }
}
