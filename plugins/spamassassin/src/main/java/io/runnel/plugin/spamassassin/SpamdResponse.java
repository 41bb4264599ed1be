package io.runnel.plugin.spamassassin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed spamd answer to {@code SYMBOLS}: the score and the rules that hit. Protocol problems and non-zero response
 * codes are {@link IOException}s naming the problem.
 *
 * <pre>
 * SPAMD/1.1 0 EX_OK\r\n
 * Content-length: 42\r\n
 * Spam: True ; 1003.3 / 5.0\r\n
 * \r\n
 * GTUBE,MISSING_DATE,MISSING_MID,NO_RECEIVED
 * </pre>
 */
record SpamdResponse(boolean spam, double score, double threshold, List<String> symbols) {

    /** spamd answers with its own protocol version (1.1 from spamd 4.0), whatever the request's. */
    private static final Pattern STATUS = Pattern.compile("SPAMD/(\\d+\\.\\d+) +(\\d+) +(.*)");
    private static final Pattern SPAM = Pattern.compile(
            "(True|False|Yes|No) *; *(-?\\d+(?:\\.\\d+)?) */ *(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);
    /** Longer answers than this are not spamd's; the symbol list of a real answer is a few hundred bytes. */
    static final int MAX_RESPONSE = 1 << 20;

    SpamdResponse {
        symbols = List.copyOf(symbols);
    }

    /** Parses the whole answer; spamd closes the connection after it, so {@code in} is read to its end. */
    static SpamdResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
            if (all.size() > MAX_RESPONSE) {
                throw new IOException("spamd protocol error: response longer than " + MAX_RESPONSE + " bytes");
            }
        }
        return parse(all.toByteArray());
    }

    static SpamdResponse parse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            throw new IOException("spamd protocol error: connection closed without a response");
        }
        int lineEnd = text.indexOf("\r\n");
        String statusLine = lineEnd < 0 ? text : text.substring(0, lineEnd);
        Matcher status = STATUS.matcher(statusLine);
        if (!status.matches()) {
            throw new IOException("spamd protocol error: unexpected response line '" + printable(statusLine) + "'");
        }
        int code = Integer.parseInt(status.group(2));
        if (code != 0) {
            throw new IOException("spamd error " + code + " " + printable(status.group(3)));
        }
        if (lineEnd < 0) {
            throw new IOException("spamd protocol error: response ends after the response line");
        }
        int headersEnd = text.indexOf("\r\n\r\n", lineEnd);
        if (headersEnd < 0) {
            throw new IOException("spamd protocol error: response headers not terminated by an empty line");
        }
        String body = text.substring(headersEnd + 4);

        Matcher spam = null;
        long contentLength = -1;
        for (String header : text.substring(lineEnd + 2, headersEnd).split("\r\n", -1)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("spamd protocol error: malformed header '" + printable(header) + "'");
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (name.equals("spam")) {
                spam = SPAM.matcher(value);
                if (!spam.matches()) {
                    throw new IOException("spamd protocol error: malformed Spam header '" + printable(value) + "'");
                }
            } else if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("spamd protocol error: malformed Content-length '" + printable(value) + "'");
                }
            }
        }
        if (spam == null) {
            throw new IOException("spamd protocol error: no Spam header in the response");
        }
        if (contentLength >= 0 && contentLength != body.length()) {
            throw new IOException("spamd protocol error: Content-length " + contentLength + " but " + body.length()
                    + " bytes of symbols received (truncated response?)");
        }
        boolean isSpam = spam.group(1).equalsIgnoreCase("true") || spam.group(1).equalsIgnoreCase("yes");
        List<String> symbols = new ArrayList<>();
        for (String symbol : body.split(",")) {
            String s = symbol.strip();
            if (!s.isEmpty()) {
                symbols.add(s);
            }
        }
        return new SpamdResponse(isSpam, Double.parseDouble(spam.group(2)), Double.parseDouble(spam.group(3)),
                symbols);
    }

    private static String printable(String s) {
        String shortened = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        StringBuilder out = new StringBuilder();
        shortened.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\x%02x", c)));
        return out.toString();
    }
}
