package io.runnel.kernel.smtp.server;

import java.util.HexFormat;
import java.util.Optional;

/** RFC 3461 4 xtext: printable ASCII except {@code +} and {@code =}, which travel as {@code +XX}. */
final class Xtext {

    private Xtext() {
    }

    static Optional<String> decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 3 > xtext.length()) {
                    return Optional.empty();
                }
                String hex = xtext.substring(i + 1, i + 3);
                if (!hex.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F'))) {
                    return Optional.empty();
                }
                out.append((char) HexFormat.fromHexDigits(hex));
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return Optional.empty();
            } else {
                out.append(c);
            }
        }
        return Optional.of(out.toString());
    }
}
