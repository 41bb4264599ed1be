package io.runnel.sdk.loadgen;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking SMTP client connection: buffered writes that go out on {@link #flush()}, and replies read
 * in order, so the caller decides what to pipeline.
 */
final class SmtpClientConnection implements Closeable {

  private static final int MAX_REPLY_LINE = 4096;

  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(128);

  private SmtpClientConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /** Connects and reads the greeting; a non-2xx greeting closes the socket and throws. */
  static SmtpClientConnection open(String host, int port, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      SmtpClientConnection connection = new SmtpClientConnection(socket);
      Reply greeting = connection.readReply();
      if (!greeting.isPositive()) throw new SmtpProtocolException("greeting refused: " + greeting);
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends EHLO, falling back to HELO (and no extensions) when the server refuses it. */
  ServerCapabilities hello(String name) throws IOException {
    command("EHLO " + name);
    flush();
    Reply ehlo = readReply();
    if (ehlo.isPositive()) return ServerCapabilities.fromEhlo(ehlo);
    command("HELO " + name);
    flush();
    Reply helo = readReply();
    if (!helo.isPositive()) throw new SmtpProtocolException("HELO refused: " + helo);
    return ServerCapabilities.NONE;
  }

  /**
   * Sends STARTTLS and, on 220, continues over TLS on the same socket; the caller must send EHLO again
   * (RFC 3207). Nothing may be buffered or pipelined behind STARTTLS.
   */
  void startTls(SSLSocketFactory tls, String host) throws IOException {
    command("STARTTLS");
    flush();
    Reply reply = readReply();
    if (reply.code() != 220) throw new SmtpProtocolException("STARTTLS refused: " + reply);
    if (in.available() > 0) throw new SmtpProtocolException("server sent data after its STARTTLS reply");
    SSLSocket secure = (SSLSocket) tls.createSocket(socket, host, socket.getPort(), true);
    secure.setUseClientMode(true);
    secure.startHandshake();
    socket = secure;
    in = new BufferedInputStream(secure.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(secure.getOutputStream(), 64 * 1024);
  }

  /** Buffers one command line; CRLF is added here. */
  void command(String line) throws IOException {
    out.write(line.getBytes(UTF_8));
    out.write('\r');
    out.write('\n');
  }

  OutputStream output() {
    return out;
  }

  void flush() throws IOException {
    out.flush();
  }

  /** True when reply bytes have arrived, so {@link #readReply()} need not wait for the server to start one. */
  boolean replyWaiting() throws IOException {
    return in.available() > 0;
  }

  /** Reads one possibly multi-line reply ({@code 250-a}, {@code 250 b}). */
  Reply readReply() throws IOException {
    List<String> lines = new ArrayList<>(1);
    while (true) {
      String line = readLine();
      if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
        throw new SmtpProtocolException("malformed reply line: " + line);
      }
      int code = parseCode(line);
      lines.add(line.length() > 4 ? line.substring(4) : "");
      if (line.length() == 3 || line.charAt(3) == ' ') return new Reply(code, lines);
    }
  }

  private static int parseCode(String line) throws SmtpProtocolException {
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') throw new SmtpProtocolException("malformed reply code: " + line);
      code = code * 10 + (c - '0');
    }
    if (code < 200 || code > 599) throw new SmtpProtocolException("reply code out of range: " + line);
    return code;
  }

  private String readLine() throws IOException {
    lineBuffer.reset();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed by server");
      if (b == '\n' && previous == '\r') {
        return new String(lineBuffer.toByteArray(), 0, lineBuffer.size() - 1, UTF_8);
      }
      if (lineBuffer.size() >= MAX_REPLY_LINE) throw new SmtpProtocolException("reply line too long");
      lineBuffer.write(b);
      previous = b;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
