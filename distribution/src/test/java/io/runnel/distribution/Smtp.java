package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain SMTP client session: one line per command, the last line of each reply returned. */
final class Smtp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Smtp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Smtp connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        Smtp smtp = new Smtp(socket);
        assertThat(smtp.reply()).startsWith("220");
        assertThat(smtp.command("EHLO client.example")).startsWith("250");
        return smtp;
    }

    /** MAIL, RCPT, DATA and the message; returns the end-of-data reply. */
    String transaction(String recipient, String message) throws IOException {
        envelope(recipient);
        return data(message);
    }

    void envelope(String recipient) throws IOException {
        assertThat(command("MAIL FROM:<alice@example.com> BODY=8BITMIME")).startsWith("250");
        assertThat(command("RCPT TO:<" + recipient + ">")).startsWith("250");
        assertThat(command("DATA")).startsWith("354");
    }

    String data(String message) throws IOException {
        out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.UTF_8));
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
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
            // the daemon may have closed first
        } finally {
            socket.close();
        }
    }
}
