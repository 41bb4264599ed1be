package io.runnel.kernel.smtp.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.cert.X509Certificate;

/**
 * A byte-level SMTP client for protocol tests: writes exactly what the test says (bare LFs, pipelined batches,
 * junk after STARTTLS) and reads replies whole, multi-line ones included.
 */
final class RawSmtpClient implements AutoCloseable {

    /** One complete reply: its code and its lines (without the code and separator). */
    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return code + " " + text();
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawSmtpClient(int port) throws IOException {
        this(port, null);
    }

    /** A client whose connection comes from {@code source} (any 127.x.y.z works on loopback): another client to the server. */
    RawSmtpClient(int port, InetAddress source) throws IOException {
        socket = new Socket();
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawSmtpClient send(String text) throws IOException {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    RawSmtpClient sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a command line with CRLF and returns its reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return read();
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed while reading a reply; got " + lines);
            }
            if (line.length() < 3) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** True when the server closed the connection (reads EOF within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Greeting plus EHLO, returning the EHLO reply. */
    Reply greetAndEhlo() throws IOException {
        Reply greeting = read();
        if (greeting.code() != 220) {
            throw new IOException("unexpected greeting " + greeting);
        }
        return command("EHLO client.example");
    }

    /** Upgrades to TLS, trusting any certificate (tests run against the self-signed one). */
    void startTls() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    /** The certificate the server presented in {@link #startTls}. */
    X509Certificate peerCertificate() throws IOException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
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
