package io.runnel.kernel.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns server lines into {@link SmtpReply}s, joining {@code 250-...} continuation lines (RFC 5321 4.2). Lines and
 * replies are bounded, so a hostile server cannot make it buffer without limit. A line that is not a reply raises
 * {@link MalformedReply}; the session then closes the connection.
 */
final class ReplyDecoder extends LineBasedFrameDecoder {

    /** RFC 5321 4.5.3.1.5 allows 512 octets per reply line; real servers send more in EHLO and bounces. */
    static final int MAX_LINE_LENGTH = 8192;
    static final int MAX_LINES = 512;

    /** An RFC 3463 code at the start of the text, as RFC 2034 puts it. */
    private static final Pattern ENHANCED = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?: +|$)");

    private int code = -1;
    private final List<String> lines = new ArrayList<>();

    ReplyDecoder() {
        super(MAX_LINE_LENGTH, true, true);
    }

    /** A server line that breaks the reply syntax. */
    static final class MalformedReply extends DecoderException {
        private final String line;

        MalformedReply(String line, String reason) {
            super(reason + ": " + SmtpClientException.oneLine(line));
            this.line = line;
        }

        String line() {
            return line;
        }
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, buffer);
        if (frame == null) {
            return null;
        }
        try {
            return line(frame.toString(UTF_8));
        } finally {
            frame.release();
        }
    }

    /** Takes one line without its line ending; returns the reply once its last line is in, else null. */
    SmtpReply line(String line) {
        boolean wellFormed = line.length() >= 3 && digit(line, 0, '2', '5') && digit(line, 1, '0', '9') && digit(line, 2, '0', '9')
                && (line.length() == 3 || line.charAt(3) == ' ' || line.charAt(3) == '-');
        if (!wellFormed) {
            reset();
            throw new MalformedReply(line, "not an SMTP reply");
        }
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (code >= 0 && lineCode != code) {
            reset();
            throw new MalformedReply(line, "reply code changed within a multi-line reply");
        }
        if (lines.size() >= MAX_LINES) {
            reset();
            throw new MalformedReply(line, "reply has too many lines");
        }
        code = lineCode;
        lines.add(line.length() > 4 ? line.substring(4) : "");
        if (line.length() > 3 && line.charAt(3) == '-') {
            return null;
        }
        try {
            return build(code, lines);
        } catch (IllegalArgumentException e) {
            throw new MalformedReply(line, e.getMessage());
        } finally {
            reset();
        }
    }

    private static SmtpReply build(int code, List<String> text) {
        Matcher m = ENHANCED.matcher(text.get(0));
        if (!m.lookingAt() || Integer.parseInt(m.group(1)) != code / 100) {
            return new SmtpReply(code, Optional.empty(), text);
        }
        EnhancedStatus status = new EnhancedStatus(code / 100, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        List<String> stripped = new ArrayList<>(text.size());
        for (String line : text) {
            Matcher each = ENHANCED.matcher(line);
            stripped.add(each.lookingAt() && each.group().strip().equals(status.toString()) ? line.substring(each.end()) : line);
        }
        return new SmtpReply(code, Optional.of(status), stripped);
    }

    private static boolean digit(String s, int index, char low, char high) {
        char c = s.charAt(index);
        return c >= low && c <= high;
    }

    private void reset() {
        code = -1;
        lines.clear();
    }
}
