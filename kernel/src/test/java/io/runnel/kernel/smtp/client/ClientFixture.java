package io.runnel.kernel.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MailParameters.BodyType;
import io.runnel.kernel.message.Recipient;
import io.runnel.sdk.sink.SmtpSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** One NIO event loop and an {@link SmtpClient} on it, plus message builders; closed after each test class. */
final class ClientFixture implements AutoCloseable {

    static final MailParameters SEVEN_BIT = new MailParameters(BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty());
    static final MailParameters EIGHT_BIT = new MailParameters(BodyType.EIGHT_BIT_MIME, false, Optional.empty(), Optional.empty());

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final SmtpClient client;

    ClientFixture() throws SSLException {
        client = new SmtpClient(group, NioSocketChannel.class);
    }

    static ClientSessionConfig config() {
        return ClientSessionConfig.of("client.runnel.test");
    }

    static ClientSessionConfig quick() {
        return config().withTimeouts(ClientTimeouts.all(Duration.ofMillis(300)));
    }

    CompletableFuture<SmtpConnection> connect(SmtpSink sink, ClientSessionConfig config) {
        return client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sink.port()), "localhost", config);
    }

    SmtpConnection open(SmtpSink sink, ClientSessionConfig config) throws Exception {
        return await(connect(sink, config));
    }

    static OutboundMessage message(String content, String... recipients) {
        return message(SEVEN_BIT, content, recipients);
    }

    static OutboundMessage message(MailParameters parameters, String content, String... recipients) {
        List<Recipient> rcpts = Arrays.stream(recipients)
                .map(r -> Recipient.pending(EmailAddress.parse(r), Set.of(), Optional.empty())).toList();
        return new OutboundMessage(EmailAddress.parse("sender@example.com"), rcpts, parameters, content.getBytes(UTF_8));
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** The exception a future failed with, unwrapped. */
    static Throwable failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
