package io.runnel.kernel.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.ListenerConfig.TlsMode;
import io.runnel.kernel.config.ServerConfig;
import io.runnel.kernel.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One listener's server TLS context, built from its PEM files (or the self-signed fallback) with its protocols and
 * ciphers. The context can be swapped for one built from new files while the listener runs: sessions that start
 * TLS afterwards get the new certificate, sessions already encrypted keep theirs.
 */
public final class ServerTls {

    /** A context built from the files whose content hashes to {@code fingerprint}. */
    public record Loaded(SslContext context, String fingerprint) {
    }

    private final String listener;
    private final Path certificate;
    private final Path privateKey;
    private final TlsSettings settings;
    private volatile Loaded current;

    private ServerTls(String listener, Path certificate, Path privateKey, TlsSettings settings) throws IOException {
        this.listener = listener;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.settings = settings;
        KeyFiles.warnIfOpen(privateKey);
        this.current = load();
    }

    /** Empty when the listener has TLS off. Throws naming the file when a certificate or key cannot be used. */
    public static Optional<ServerTls> forListener(ListenerConfig listener, ServerConfig server, Clock clock) throws IOException {
        if (listener.tls() == TlsMode.OFF) {
            return Optional.empty();
        }
        if (listener.certificate().isPresent()) {
            return Optional.of(new ServerTls(listener.name(), listener.certificate().get(), listener.privateKey().orElseThrow(),
                    listener.tlsSettings()));
        }
        SelfSignedCertificate selfSigned = SelfSignedCertificate.ensure(server.dataDir().resolve("tls"), listener.hostname(), clock);
        return Optional.of(new ServerTls(listener.name(), selfSigned.certificate(), selfSigned.privateKey(), listener.tlsSettings()));
    }

    /** The context new TLS sessions use. */
    public SslContext context() {
        return current.context();
    }

    public String listener() {
        return listener;
    }

    public Path certificate() {
        return certificate;
    }

    public Path privateKey() {
        return privateKey;
    }

    /** Whether the files differ from the ones the current context was built from. */
    public boolean changed() {
        return !fingerprint().equals(current.fingerprint());
    }

    /** Builds a context from the files as they are now; throws naming the files when they cannot be used. */
    public Loaded load() throws IOException {
        String fingerprint = fingerprint();
        try {
            SslContext context = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .protocols(settings.protocols())
                    .ciphers(settings.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                    .build();
            return new Loaded(context, fingerprint);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("listener " + listener + ": cannot use certificate " + certificate + " with key " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code loaded} the context new sessions get. */
    public void use(Loaded loaded) {
        current = loaded;
    }

    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(read(certificate));
            digest.update(read(privateKey));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0]; // unreadable: load() reports it
        }
    }
}
