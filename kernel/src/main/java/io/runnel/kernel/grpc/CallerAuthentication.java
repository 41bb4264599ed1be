package io.runnel.kernel.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Lets a call through when the caller sent the configured bearer token ({@code authorization: Bearer <token>}) or
 * presented a client certificate the TLS layer verified against the configured CA; otherwise the call ends with
 * UNAUTHENTICATED before any service sees it. With neither configured (loopback only) every call passes. Also puts
 * the caller's address into the call's context.
 */
final class CallerAuthentication implements ServerInterceptor {

    /** The caller's IP address, for the Received header of injected mail; in-process calls come from here. */
    static final Context.Key<String> PEER = Context.keyWithDefault("runnel-peer", "127.0.0.1");

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> token;
    private final boolean clientCertificates;

    CallerAuthentication(Optional<String> token, boolean clientCertificates) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.clientCertificates = clientCertificates;
    }

    /** Every call passes (nothing configured). */
    static CallerAuthentication open() {
        return new CallerAuthentication(Optional.empty(), false);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if ((token.isPresent() || clientCertificates) && !tokenMatches(headers) && !certificateVerified(call)) {
            call.close(Status.UNAUTHENTICATED.withDescription("send a bearer token or a client certificate"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(PEER, peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private boolean tokenMatches(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (token.isEmpty() || value == null || !value.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(token.get(), value.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
    }

    private boolean certificateVerified(ServerCall<?, ?> call) {
        if (!clientCertificates) {
            return false;
        }
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return false;
        }
        try {
            // only certificates the trust manager accepted get here: a bad one fails the handshake
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private static String peer(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
    }
}
