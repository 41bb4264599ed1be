package io.runnel.distribution;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ConcurrentMap;

/**
 * One SMTP session that sends messages until the server goes away (or, when given a number, until it has sent that
 * many), remembering every message the server acknowledged with 250 (spool id from "queued as ID") and the exact
 * content it sent. Message {@code n} of session {@code s} goes from {@code s<s>@example.com} to
 * {@code r<n>@example.net} and carries {@code Message-ID: <s.n@crash.test>}.
 */
final class AckingSender implements Runnable {

    private final int port;
    private final int session;
    private final ConcurrentMap<String, byte[]> acknowledged;
    private final int messages;
    private final Random random;

    AckingSender(int port, int session, ConcurrentMap<String, byte[]> acknowledged) {
        this(port, session, acknowledged, Integer.MAX_VALUE);
    }

    AckingSender(int port, int session, ConcurrentMap<String, byte[]> acknowledged, int messages) {
        this.port = port;
        this.session = session;
        this.acknowledged = acknowledged;
        this.messages = messages;
        this.random = new Random(session);
    }

    @Override
    public void run() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            expect(in, 220);
            command(out, in, "EHLO sender" + session + ".example", 250);
            for (int n = 0; n < messages; n++) {
                byte[] content = content(n);
                command(out, in, "MAIL FROM:<s" + session + "@example.com> BODY=8BITMIME", 250);
                command(out, in, "RCPT TO:<r" + n + "@example.net>", 250);
                command(out, in, "DATA", 354);
                out.write(stuffed(content));
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = expect(in, 250);
                acknowledged.put(reply.substring(reply.lastIndexOf(' ') + 1), content);
            }
            command(out, in, "QUIT", 221);
        } catch (IOException e) {
            // The daemon was killed: this session ends; what it acknowledged is recorded.
        }
    }

    /** A message with lines that need dot-stuffing and 8-bit bytes, of varying size. */
    private byte[] content(int n) {
        StringBuilder text = new StringBuilder();
        text.append("From: s").append(session).append("@example.com\r\n")
                .append("Subject: crash test ").append(session).append('/').append(n).append("\r\n")
                .append("Message-ID: <").append(session).append('.').append(n).append("@crash.test>\r\n\r\n");
        int lines = 5 + random.nextInt(200);
        for (int i = 0; i < lines; i++) {
            if (i % 7 == 0) {
                text.append('.');
            }
            text.append("line ").append(i).append(" of message ").append(n).append(" caf\u00e9 ").append(random.nextLong()).append("\r\n");
        }
        text.append(".\r\n..\r\nend\r\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] stuffed(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        boolean lineStart = true;
        for (byte b : content) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    private static void command(OutputStream out, InputStream in, String line, int code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static String expect(InputStream in, int code) throws IOException {
        while (true) {
            String line = readLine(in);
            if (!line.startsWith(String.valueOf(code))) {
                throw new IOException("expected " + code + ", got " + line);
            }
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return line;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

}
