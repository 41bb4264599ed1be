package io.runnel.kernel.ingest;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Reads one header field's value from a message's header block, without copying the message. */
final class HeaderValues {

    /** Header blocks larger than this are not searched further: the fields we look for come early. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private HeaderValues() {
    }

    /** The first {@code name:} field's unfolded, trimmed value; empty when absent or blank. */
    static Optional<String> first(ByteBuf message, String name) {
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        int start = message.readerIndex();
        int end = Math.min(message.writerIndex(), start + MAX_HEADER_BYTES);
        int line = start;
        while (line < end) {
            int eol = message.indexOf(line, end, (byte) '\n');
            int lineEnd = eol < 0 ? end : eol;
            if (lineEnd == line || (lineEnd == line + 1 && message.getByte(line) == '\r')) {
                return Optional.empty(); // the blank line ends the header block
            }
            if (lineEnd - line >= wanted.length()
                    && message.toString(line, wanted.length(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).equals(wanted)) {
                StringBuilder value = new StringBuilder(message.toString(line + wanted.length(), lineEnd - line - wanted.length(), StandardCharsets.UTF_8));
                int next = lineEnd + 1;
                while (next < end && (message.getByte(next) == ' ' || message.getByte(next) == '\t')) { // folded
                    int nextEol = message.indexOf(next, end, (byte) '\n');
                    int nextEnd = nextEol < 0 ? end : nextEol;
                    value.append(message.toString(next, nextEnd - next, StandardCharsets.UTF_8));
                    next = nextEnd + 1;
                }
                String text = value.toString().replace("\r", "").strip();
                return text.isEmpty() ? Optional.empty() : Optional.of(text);
            }
            if (eol < 0) {
                return Optional.empty();
            }
            line = eol + 1;
        }
        return Optional.empty();
    }
}
