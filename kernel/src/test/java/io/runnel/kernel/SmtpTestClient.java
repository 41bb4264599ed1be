package io.runnel.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain SMTP session for end-to-end tests: greeting and EHLO on connect, one command per line, the last line of
 * each reply returned (multi-line replies read whole).
 */
public final class SmtpTestClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SmtpTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        expect(reply(), "220");
        expect(command("EHLO client.example"), "250");
    }

    /** One transaction from alice@sender.example; returns the reply to the end of data. */
    public String send(String recipient, String message) throws IOException {
        return send("alice@sender.example", recipient, message);
    }

    /** One transaction; {@code message} ends with CRLF and is dot-stuffed here. Returns the end-of-data reply. */
    public String send(String sender, String recipient, String message) throws IOException {
        expect(command("MAIL FROM:<" + sender + ">"), "250");
        expect(command("RCPT TO:<" + recipient + ">"), "250");
        expect(command("DATA"), "354");
        out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.UTF_8));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** One transaction with the content in a single {@code BDAT n LAST} chunk (no dot-stuffing). Returns its reply. */
    public String sendChunk(String sender, String recipient, byte[] message) throws IOException {
        expect(command("MAIL FROM:<" + sender + ">"), "250");
        expect(command("RCPT TO:<" + recipient + ">"), "250");
        out.write(("BDAT " + message.length + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(message);
        out.flush();
        return reply();
    }

    public String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    private static void expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    private String reply() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed; got " + line);
            }
            if (b == '\n') {
                String l = line.toString().strip();
                if (l.length() < 4 || l.charAt(3) != '-') {
                    return l;
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // the server may have closed first
        } finally {
            socket.close();
        }
    }
}
