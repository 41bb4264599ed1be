package io.runnel.kernel.smtp.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** The two client TLS contexts, made once per {@link SmtpClient}: one that verifies certificates, one that does not. */
final class ClientTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext verifying;
    private final SslContext insecure;

    /** {@code trust} replaces the JDK trust store for verifying connections (tests, private CAs). */
    ClientTls(Optional<TrustManagerFactory> trust) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
        trust.ifPresent(builder::trustManager);
        verifying = builder.build();
        insecure = SslContextBuilder.forClient().protocols(PROTOCOLS).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    }

    /** An engine for {@code serverName} (SNI); with a verifying policy the certificate must match that name. */
    SSLEngine engine(TlsPolicy policy, ByteBufAllocator alloc, String serverName, int port) {
        SSLEngine engine = (policy.verifies() ? verifying : insecure).newEngine(alloc, serverName, port);
        if (policy.verifies()) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");   // RFC 6125 name matching, as for HTTPS
            engine.setSSLParameters(parameters);
        }
        return engine;
    }
}
