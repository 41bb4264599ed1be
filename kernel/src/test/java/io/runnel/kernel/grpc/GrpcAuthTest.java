package io.runnel.kernel.grpc;

import static io.runnel.kernel.grpc.QueueServiceTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.runnel.grpc.v1.AdminServiceGrpc;
import io.runnel.grpc.v1.StatusRequest;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane over TLS: a caller needs the bearer token or a client certificate the configured CA signed. */
class GrpcAuthTest {

    private static final String TOKEN = "s3cret-token-0123456789abcdef";

    @TempDir
    static Path keys;

    @TempDir
    Path home;

    private static SelfSignedCertificate server;
    private static SelfSignedCertificate client;
    private static SelfSignedCertificate stranger;
    private TestDaemon daemon;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void makeKeys() throws Exception {
        // RSA key generation is slow: once for the class
        server = SelfSignedCertificate.ensure(keys.resolve("tls"), "localhost", Clock.systemUTC());
        client = SelfSignedCertificate.ensure(keys.resolve("clients"), "ops.runnel.test", Clock.systemUTC());
        stranger = SelfSignedCertificate.ensure(keys.resolve("strangers"), "stranger.test", Clock.systemUTC());
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(home.resolve("grpc.token"), TOKEN + "\n");
        daemon = TestDaemon.start(home, """
                [grpc]
                listen = "127.0.0.1:0"
                tls_certificate = "%s"
                tls_private_key = "%s"
                token_file = "grpc.token"
                client_ca_file = "%s"
                """.formatted(server.certificate(), server.privateKey(), client.certificate()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        daemon.close();
    }

    private AdminServiceGrpc.AdminServiceBlockingStub admin(ChannelCredentials credentials) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(daemon.grpcAddress(), credentials)
                .overrideAuthority("localhost").build();
        channels.add(channel);
        return AdminServiceGrpc.newBlockingStub(channel);
    }

    private ChannelCredentials trustingServer() throws java.io.IOException {
        return TlsChannelCredentials.newBuilder().trustManager(server.certificate().toFile()).build();
    }

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    @Test
    void aCallWithoutCredentialsIsUnauthenticated() throws Exception {
        AdminServiceGrpc.AdminServiceBlockingStub stub = admin(trustingServer());
        assertCode(() -> stub.status(StatusRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void aWrongTokenIsUnauthenticatedAndTheRightOnePasses() throws Exception {
        AdminServiceGrpc.AdminServiceBlockingStub stub = admin(trustingServer());
        assertCode(() -> stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("guess")))
                .status(StatusRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);

        assertThat(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN)))
                .status(StatusRequest.getDefaultInstance()).getHostname()).isNotEmpty();
    }

    @Test
    void aClientCertificateFromTheConfiguredCaPasses() throws Exception {
        ChannelCredentials withCertificate = TlsChannelCredentials.newBuilder().trustManager(server.certificate().toFile())
                .keyManager(client.certificate().toFile(), client.privateKey().toFile()).build();

        assertThat(admin(withCertificate).status(StatusRequest.getDefaultInstance()).getHostname()).isNotEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        ChannelCredentials foreign = TlsChannelCredentials.newBuilder().trustManager(server.certificate().toFile())
                .keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile()).build();

        // the client offers no certificate the server's CA list accepts, so it is a caller without credentials
        AdminServiceGrpc.AdminServiceBlockingStub stub = admin(foreign);
        assertCode(() -> stub.status(StatusRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void plaintextIsNotSpokenOnATlsPort() {
        ManagedChannel channel = NettyChannelBuilder.forAddress(daemon.grpcAddress()).usePlaintext().build();
        channels.add(channel);
        assertCode(() -> AdminServiceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance()),
                Status.Code.UNAVAILABLE);
    }
}
