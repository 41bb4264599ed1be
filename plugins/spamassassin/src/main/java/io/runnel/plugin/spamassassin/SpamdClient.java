package io.runnel.plugin.spamassassin;

import io.runnel.api.mail.MessageView;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Speaks SPAMC/1.5 to spamd: one {@code SYMBOLS} request per call, on a fresh TCP connection. spamd handles a single
 * request per connection and closes it after its answer, so there is no connection to pool or keep alive; it also
 * keeps the client free of shared state, so concurrent calls are safe.
 *
 * <p>{@code timeout} is the deadline of the whole call (connect, send, read): a watchdog closes the socket when it
 * passes, which also unblocks a write to a spamd that stopped reading.
 */
final class SpamdClient {


    /** One daemon thread for all clients; it only closes sockets whose deadline passed. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final InetSocketAddress address;
    private final Duration timeout;
    private final Optional<String> user;

    SpamdClient(String host, int port, Duration timeout, Optional<String> user) {
        // unresolved: resolved on each connect, so a changed address of a named host is picked up
        this.address = InetSocketAddress.createUnresolved(host, port);
        this.timeout = timeout;
        this.user = user;
    }

    SpamdResponse symbols(MessageView message) throws IOException {
        long length = message.size();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> closeQuietly(socket), timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            try {
                socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), remainingMillis(deadline));
                socket.setTcpNoDelay(true);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16384);
                StringBuilder request = new StringBuilder("SYMBOLS SPAMC/1.5\r\n");
                request.append("Content-length: ").append(length).append("\r\n");
                user.ifPresent(u -> request.append("User: ").append(u).append("\r\n"));
                request.append("\r\n");
                out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
                long sent;
                try (InputStream whole = message.openMessage()) {
                    sent = whole.transferTo(out);
                }
                if (sent != length) {
                    throw new IOException("message had " + sent + " bytes, not the " + length + " announced to spamd");
                }
                out.flush();
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                socket.setSoTimeout(remainingMillis(deadline));
                return SpamdResponse.read(new DeadlineInputStream(in, socket, deadline));
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0 || e instanceof SocketTimeoutException) {
                    throw new SocketTimeoutException("spamd at " + address.getHostString() + ":" + address.getPort()
                            + " did not answer within " + timeout.toMillis() + " ms");
                }
                throw new IOException("spamd at " + address.getHostString() + ":" + address.getPort() + ": "
                        + e.getMessage(), e);
            } finally {
                alarm.cancel(false);
            }
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (millis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing only to unblock the caller; it reports the timeout
        }
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "spamd-client-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Shortens the read timeout before each read, so the whole answer, not each read, meets the deadline. */
    private static final class DeadlineInputStream extends InputStream {
        private final InputStream in;
        private final Socket socket;
        private final long deadline;

        DeadlineInputStream(InputStream in, Socket socket, long deadline) {
            this.in = in;
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read(b, off, len);
        }
    }
}
