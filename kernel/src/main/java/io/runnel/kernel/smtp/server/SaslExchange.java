package io.runnel.kernel.smtp.server;

import io.runnel.api.smtp.SmtpReply;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** One AUTH PLAIN (RFC 4616) or AUTH LOGIN exchange, fed one client line at a time. */
final class SaslExchange {

    private static final SmtpReply EMPTY_CHALLENGE = SmtpReply.of(334, "");
    private static final SmtpReply USERNAME = SmtpReply.of(334, "VXNlcm5hbWU6");
    private static final SmtpReply PASSWORD = SmtpReply.of(334, "UGFzc3dvcmQ6");

    /** What the exchange needs next. */
    sealed interface Step {
        record Challenge(SmtpReply reply) implements Step {
        }

        record Credentials(String user, char[] password) implements Step {
        }

        record Failed(SmtpReply reply) implements Step {
        }
    }

    private final boolean plain;
    private Optional<String> loginUser = Optional.empty();

    private SaslExchange(boolean plain) {
        this.plain = plain;
    }

    static Optional<SaslExchange> forMechanism(String mechanism) {
        return switch (mechanism) {
            case "PLAIN" -> Optional.of(new SaslExchange(true));
            case "LOGIN" -> Optional.of(new SaslExchange(false));
            default -> Optional.empty();
        };
    }

    /** The first step, from the AUTH command's optional initial response. */
    Step start(Optional<String> initialResponse) {
        if (initialResponse.isEmpty()) {
            return new Step.Challenge(plain ? EMPTY_CHALLENGE : USERNAME);
        }
        return respond(initialResponse.get());
    }

    /** The next step, from a client response line. */
    Step respond(String line) {
        if (line.equals("*")) {
            return new Step.Failed(SmtpReplies.AUTH_CANCELLED);
        }
        Optional<String> decoded = line.equals("=") ? Optional.of("") : decode(line);
        if (decoded.isEmpty()) {
            return new Step.Failed(SmtpReplies.AUTH_UNDECODABLE);
        }
        if (plain) {
            return plain(decoded.get());
        }
        if (loginUser.isEmpty()) {
            loginUser = decoded;
            return new Step.Challenge(PASSWORD);
        }
        return new Step.Credentials(loginUser.get(), decoded.get().toCharArray());
    }

    /** {@code authzid NUL authcid NUL passwd}; acting for another identity is not supported. */
    private static Step plain(String message) {
        String[] parts = message.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return new Step.Failed(SmtpReplies.AUTH_UNDECODABLE);
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            return new Step.Failed(SmtpReplies.AUTH_FAILED);
        }
        return new Step.Credentials(parts[1], parts[2].toCharArray());
    }

    private static Optional<String> decode(String base64) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return Optional.of(chars.toString());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
