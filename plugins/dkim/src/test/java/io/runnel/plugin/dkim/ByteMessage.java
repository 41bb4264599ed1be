package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A {@link MessageView} over a whole message in memory (test only): header fields byte-exact, body after CRLFCRLF. */
record ByteMessage(List<HeaderField> headers, byte[] body) implements MessageView {

    static ByteMessage parse(byte[] message) {
        List<HeaderField> headers = new ArrayList<>();
        int at = 0;
        while (at < message.length && !(message[at] == '\r' && at + 1 < message.length && message[at + 1] == '\n')) {
            int end = at;
            // a field runs to the CRLF not followed by WSP (folding)
            while (true) {
                int crlf = indexOfCrlf(message, end);
                if (crlf < 0) {
                    end = message.length;
                    break;
                }
                end = crlf + 2;
                if (end >= message.length || (message[end] != ' ' && message[end] != '\t')) {
                    break;
                }
            }
            byte[] raw = Arrays.copyOfRange(message, at, end);
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            headers.add(new HeaderField(text.substring(0, text.indexOf(':')).strip(), raw));
            at = end;
        }
        int bodyStart = Math.min(message.length, at + 2);
        return new ByteMessage(headers, Arrays.copyOfRange(message, bodyStart, message.length));
    }

    static ByteMessage parse(String message) {
        return parse(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The message with {@code prepended} fields on top, as the kernel would spool it. */
    byte[] toBytes(List<HeaderField> prepended) {
        var out = new java.io.ByteArrayOutputStream();
        prepended.forEach(h -> out.writeBytes(h.raw()));
        headers.forEach(h -> out.writeBytes(h.raw()));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    public InputStream openBody() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public long bodySize() {
        return body.length;
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
