package io.runnel.kernel.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's TLS: 1.2 and newer only, forward-secret ciphers only, and a certificate swapped on reload. */
class ListenerTlsTest {

    @TempDir
    Path home;

    private TestDaemon daemon;
    private Path certificate;
    private Path key;

    @BeforeEach
    void start() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs")); // outside conf/: only an explicit reload reads them
        certificate = certs.resolve("listener.crt");
        key = certs.resolve("listener.key");
        install("one.example");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "mx.test.example"
                [[listener]]
                bind = "127.0.0.1:0"
                tls = "implicit"
                tls_certificate = "certs/listener.crt"
                tls_private_key = "certs/listener.key"
                """);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    /** Makes a certificate for {@code name} and moves it over the listener's files, as a deploy would. */
    private void install(String name) throws IOException {
        Path made = Files.createDirectories(home.resolve("made-" + name));
        SelfSignedCertificate pair = SelfSignedCertificate.ensure(made, name, Clock.systemUTC());
        Files.move(pair.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.move(pair.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
    }

    private SSLSocket connect(String[] protocols, String[] ciphers) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", daemon.port()), 5000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", daemon.port(), true);
        if (protocols != null) {
            socket.setEnabledProtocols(protocols);
        }
        if (ciphers != null) {
            socket.setEnabledCipherSuites(ciphers);
        }
        socket.startHandshake();
        return socket;
    }

    private String servedName() throws Exception {
        try (SSLSocket socket = connect(null, null)) {
            X509Certificate served = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return served.getSubjectX500Principal().getName();
        }
    }

    @Test
    void aModernClientGetsTls13() throws Exception {
        try (SSLSocket socket = connect(null, null)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(new String(socket.getInputStream().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("220");
        }
    }

    @Test
    void tls12WithAForwardSecretCipherIsAccepted() throws Exception {
        try (SSLSocket socket = connect(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"})) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void tls12WithoutForwardSecrecyIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(new String[] {"TLSv1.2"},
                        new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256"}).close())
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tls11IsRefusedWhileTls12FromTheSameClientWorks() throws Exception {
        String tls12 = openssl("-tls1_2");
        assertThat(tls12).as("the same client and options otherwise connect").contains("Protocol  : TLSv1.2");
        String tls11 = openssl("-tls1_1");
        assertThat(tls11).as("the server answers with alert 70").contains("alert protocol version").contains("Cipher is (NONE)");
    }

    /** openssl s_client with every old protocol and cipher allowed on its side, so only the server can refuse. */
    private String openssl(String version) throws Exception {
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + daemon.port(), version,
                "-cipher", "DEFAULT@SECLEVEL=0").redirectErrorStream(true).start();
        process.getOutputStream().close();
        try (InputStream out = process.getInputStream()) {
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            return text;
        }
    }

    @Test
    void aReloadServesTheNewCertificateToNewConnections() throws Exception {
        SSLSocket before = connect(null, null);
        assertThat(servedName()).isEqualTo("CN=one.example");
        install("two.example");
        ReloadReport report = daemon.get(ConfigReloader.class).reload();
        assertThat(report.applied()).as("report %s", report).isTrue();
        assertThat(report.changed()).contains("certs/listener.crt");
        assertThat(servedName()).isEqualTo("CN=two.example");
        OutputStream out = before.getOutputStream();
        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(new String(before.getInputStream().readNBytes(3), StandardCharsets.US_ASCII))
                .as("a session that was already encrypted goes on").isEqualTo("220");
        before.close();
    }

    @Test
    void aBrokenNewCertificateIsRefusedAndTheOldOneIsStillServed() throws Exception {
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        ReloadReport report = daemon.get(ConfigReloader.class).reload();
        assertThat(report.applied()).isFalse();
        assertThat(String.join("\n", report.errors())).contains("cannot use certificate").contains("listener.crt");
        assertThat(servedName()).isEqualTo("CN=one.example");
        install("three.example");
        assertThat(daemon.get(ConfigReloader.class).reload().applied()).as("fixed files load").isTrue();
        assertThat(servedName()).isEqualTo("CN=three.example");
    }

    static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
