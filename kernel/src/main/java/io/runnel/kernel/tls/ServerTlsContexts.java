package io.runnel.kernel.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.ListenerConfig.TlsMode;
import io.runnel.kernel.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Builds a listener's server-side TLS context from its configured PEM files or the self-signed fallback. */
public final class ServerTlsContexts {

    private ServerTlsContexts() {
    }

    /** Empty when the listener has TLS off. Throws naming the file when a certificate or key cannot be used. */
    public static Optional<SslContext> forListener(ListenerConfig listener, ServerConfig server, Clock clock) throws IOException {
        if (listener.tls() == TlsMode.OFF) {
            return Optional.empty();
        }
        Path certificate;
        Path key;
        if (listener.certificate().isPresent()) {
            certificate = listener.certificate().get();
            key = listener.privateKey().orElseThrow();
        } else {
            SelfSignedCertificate selfSigned = SelfSignedCertificate.ensure(server.dataDir().resolve("tls"), listener.hostname(), clock);
            certificate = selfSigned.certificate();
            key = selfSigned.privateKey();
        }
        try {
            return Optional.of(SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("listener " + listener.name() + ": cannot use certificate " + certificate + " with key " + key
                    + ": " + e.getMessage(), e);
        }
    }
}
