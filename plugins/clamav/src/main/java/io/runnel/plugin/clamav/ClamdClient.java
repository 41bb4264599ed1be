package io.runnel.plugin.clamav;

import io.runnel.api.scan.ScanResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The clamd TCP protocol, null-terminated ("z") commands: {@code zINSTREAM} (length-prefixed chunks, a zero-length
 * chunk ends the stream), {@code zPING} and {@code zVERSION}.
 *
 * <p>Every call opens a fresh TCP connection and closes it afterwards. That is simple and safe: no connection state
 * is shared between concurrent scans, a clamd restart or a half-dead connection affects one call only, and there is
 * no IDSESSION to time out behind our back; a local connect costs far less than a scan. The call's deadline is
 * enforced through socket timeouts: the connect timeout, and before every read the time left until the deadline.
 * Writes have no socket timeout in Java; a clamd that stops reading mid-stream is covered by the kernel's own scan
 * deadline, and clamd itself drops a client that stalls. Thread-safe: the client holds configuration only.
 */
final class ClamdClient {

    /** clamd's replies are one short line; anything longer is not clamd. */
    private static final int MAX_REPLY = 8192;
    private static final String STREAM = "stream: ";

    private final InetSocketAddress address;
    private final Duration timeout;
    private final int chunkSize;

    ClamdClient(String host, int port, Duration timeout, int chunkSize) {
        this.address = InetSocketAddress.createUnresolved(Objects.requireNonNull(host, "host"), port);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive: " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /** True when clamd answers PING with PONG; throws when it cannot be reached in time. */
    boolean ping() throws IOException {
        return "PONG".equals(command("zPING\0"));
    }

    /** clamd's version line, e.g. {@code ClamAV 1.4.6/27000/...}. */
    String version() throws IOException {
        return command("zVERSION\0");
    }

    /** A simple command without payload; returns the reply without its terminator. */
    private String command(String command) throws IOException {
        long deadline = deadline();
        try (Socket socket = connect(deadline)) {
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readReply(socket, deadline);
        }
    }

    /**
     * Streams {@code content} with INSTREAM and returns clamd's verdict.
     *
     * @throws IOException when clamd cannot be reached or answers in time, or answers ERROR (e.g. its
     *                     StreamMaxLength exceeded), with clamd's words in the message
     */
    ScanResult scan(StreamWriter content) throws IOException {
        long deadline = deadline();
        try (Socket socket = connect(deadline)) {
            try {
                OutputStream raw = socket.getOutputStream();
                raw.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
                ChunkedOutputStream chunked = new ChunkedOutputStream(raw, chunkSize, deadline);
                content.writeTo(chunked);
                chunked.finish();
                raw.flush();
            } catch (IOException writeFailed) {
                // clamd answers "INSTREAM size limit exceeded. ERROR" and closes while we are still sending; the
                // write then fails with a broken pipe or reset. Its reply, if it got through, says why.
                String reply;
                try {
                    reply = readReply(socket, Math.min(deadline, System.nanoTime() + 1_000_000_000L));
                } catch (IOException noReply) {
                    writeFailed.addSuppressed(noReply);
                    throw writeFailed;
                }
                throw new IOException("clamd at " + address + " refused the stream: " + reply, writeFailed);
            }
            return parseScanReply(readReply(socket, deadline));
        }
    }

    /** {@code stream: OK}, {@code stream: <name> FOUND}, or an IOException for {@code ... ERROR} and the rest. */
    ScanResult parseScanReply(String reply) throws IOException {
        if (reply.endsWith(" ERROR")) {
            throw new IOException("clamd at " + address + " failed to scan: " + reply);
        }
        if (reply.startsWith(STREAM)) {
            String result = reply.substring(STREAM.length());
            if (result.equals("OK")) {
                return new ScanResult.Clean();
            }
            if (result.endsWith(" FOUND") && result.length() > " FOUND".length()) {
                return new ScanResult.Infected(result.substring(0, result.length() - " FOUND".length()));
            }
        }
        throw new IOException("unexpected reply from clamd at " + address + ": " + reply);
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private Socket connect(long deadline) throws IOException {
        Socket socket = new Socket();
        try {
            // resolved per call, so a changed DNS name or /etc/hosts entry is picked up
            InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
            if (resolved.isUnresolved()) {
                throw new IOException("cannot resolve clamd host " + address.getHostString());
            }
            socket.connect(resolved, remainingMillis(deadline));
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(remainingMillis(deadline));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (e instanceof SocketTimeoutException) {
                throw new SocketTimeoutException("clamd at " + address + " did not accept within " + timeout);
            }
            throw e;
        }
    }

    /** Reads up to the NUL that ends a z-command reply (or end of stream), each read bounded by the deadline. */
    private String readReply(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        while (true) {
            socket.setSoTimeout(remainingMillis(deadline));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no reply from clamd at " + address + " within " + timeout);
            }
            if (n < 0) {
                break;
            }
            int nul = indexOf(buffer, n, (byte) 0);
            reply.write(buffer, 0, nul < 0 ? n : nul);
            if (nul >= 0) {
                break;
            }
            if (reply.size() > MAX_REPLY) {
                throw new IOException("reply from clamd at " + address + " longer than " + MAX_REPLY + " bytes");
            }
        }
        String text = reply.toString(StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("clamd at " + address + " closed the connection without a reply");
        }
        return text;
    }

    private int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("clamd at " + address + " did not answer within " + timeout);
        }
        // 0 would mean "no timeout" to the socket
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** What INSTREAM sends: writes the scanned bytes to the given stream. */
    @FunctionalInterface
    interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** INSTREAM framing: 4-byte big-endian length, then that many bytes; {@link #finish()} sends the empty chunk. */
    static final class ChunkedOutputStream extends OutputStream {

        private final OutputStream out;
        private final byte[] buffer;
        private final long deadline;
        private int used;

        ChunkedOutputStream(OutputStream out, int chunkSize, long deadline) {
            this.out = out;
            this.buffer = new byte[chunkSize];
            this.deadline = deadline;
        }

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flushChunk();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (used == buffer.length) {
                    flushChunk();
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        /** Sends what is buffered, then the zero-length chunk that ends the stream. */
        void finish() throws IOException {
            if (used > 0) {
                flushChunk();
            }
            writeLength(0);
        }

        private void flushChunk() throws IOException {
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("deadline passed while streaming to clamd");
            }
            writeLength(used);
            out.write(buffer, 0, used);
            used = 0;
        }

        private void writeLength(int length) throws IOException {
            out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                    (byte) length});
        }
    }
}
