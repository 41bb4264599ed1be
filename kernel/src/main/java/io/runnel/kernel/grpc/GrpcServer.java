package io.runnel.kernel.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.GrpcConfig;
import io.runnel.kernel.config.RunnelConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's gRPC server ({@code [grpc]}): plaintext on loopback by default; TLS with a bearer token or
 * client certificates elsewhere (the configuration refuses anything weaker). Calls run on a small fixed pool, never
 * on the SMTP event loops.
 */
public final class GrpcServer implements Service {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    private static final int CALL_THREADS = 4;
    /** Injected messages arrive whole in one request: room for a listener's default 50 MiB limit and framing. */
    private static final int MAX_REQUEST = 64 << 20;

    private final GrpcConfig config;
    private final ControlPlane controlPlane;
    private Server server;
    private ExecutorService calls;

    @Inject
    GrpcServer(RunnelConfig config, ControlPlane controlPlane) {
        this.config = config.grpc();
        this.controlPlane = controlPlane;
    }

    @Override
    public int phase() {
        return Phases.GRPC;
    }

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public void start() throws IOException {
        if (!config.enabled()) {
            return;
        }
        Optional<String> token = config.tokenFile().map(GrpcServer::readToken);
        CallerAuthentication authentication = new CallerAuthentication(token, config.clientCaFile().isPresent());
        AtomicInteger threads = new AtomicInteger();
        calls = Executors.newFixedThreadPool(CALL_THREADS, r -> {
            Thread t = new Thread(r, "grpc-call-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(config.listen(), credentials()).executor(calls)
                .maxInboundMessageSize(MAX_REQUEST);
        controlPlane.services(authentication).forEach(builder::addService);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            calls.shutdownNow();
            throw new IOException("grpc: cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        log.atInfo().addKeyValue("bind", address()).addKeyValue("tls", config.tls())
                .addKeyValue("authentication", config.authenticates()).log("control plane listening");
    }

    private ServerCredentials credentials() throws IOException {
        if (!config.tls()) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                .keyManager(config.tlsCertificate().orElseThrow().toFile(), config.tlsPrivateKey().orElseThrow().toFile());
        if (config.clientCaFile().isPresent()) {
            // optional at the TLS layer, so a token caller without a certificate still gets UNAUTHENTICATED or in
            tls.trustManager(config.clientCaFile().get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL);
        }
        return tls.build();
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.length() < 16) {
                throw new IllegalStateException("grpc: the token in " + file + " is shorter than 16 characters");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("grpc: cannot read token_file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the server listens (a configured port 0 becomes the real one); empty when disabled. */
    public Optional<InetSocketAddress> address() {
        return server == null ? Optional.empty()
                : Optional.of((InetSocketAddress) server.getListenSockets().get(0));
    }

    @Override
    public void stop(Duration grace) {
        if (server == null) {
            return;
        }
        controlPlane.notServing();
        server.shutdown();
        try {
            // open trace streams would hold a graceful shutdown forever: cut them after a short wait
            if (!server.awaitTermination(Math.min(grace.toMillis(), 2000), TimeUnit.MILLISECONDS)) {
                server.shutdownNow().awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        server = null;
    }
}
