package io.runnel.kernel.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [grpc]} section: the control plane's server.
 *
 * @param enabled         whether the gRPC server runs
 * @param listen          IP address and port; loopback by default
 * @param tlsCertificate  PEM certificate chain; with {@code tlsPrivateKey}, the server speaks TLS
 * @param tlsPrivateKey   PEM private key (PKCS#8)
 * @param tokenFile       a file holding the bearer token clients must send ({@code authorization: Bearer ...})
 * @param clientCaFile    PEM CA certificates; clients presenting a certificate signed by one are authenticated
 */
public record GrpcConfig(boolean enabled, InetSocketAddress listen, Optional<Path> tlsCertificate,
                         Optional<Path> tlsPrivateKey, Optional<Path> tokenFile, Optional<Path> clientCaFile) {

    /** The documented default port. */
    public static final int DEFAULT_PORT = 8901;

    public GrpcConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        Objects.requireNonNull(tlsPrivateKey, "tlsPrivateKey");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        if (tlsCertificate.isPresent() != tlsPrivateKey.isPresent()) {
            throw new IllegalArgumentException("tls_certificate and tls_private_key go together");
        }
        if (clientCaFile.isPresent() && tlsCertificate.isEmpty()) {
            throw new IllegalArgumentException("client certificates need TLS");
        }
    }

    public boolean tls() {
        return tlsCertificate.isPresent();
    }

    /** Whether a caller must prove who it is (a token or a client certificate). */
    public boolean authenticates() {
        return tokenFile.isPresent() || clientCaFile.isPresent();
    }
}
