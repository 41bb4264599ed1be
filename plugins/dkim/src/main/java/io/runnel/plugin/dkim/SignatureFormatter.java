package io.runnel.plugin.dkim;

import java.util.Base64;
import java.util.List;

/**
 * Writes the DKIM-Signature field: tags in a fixed order, folded with CRLF+TAB so no line exceeds 76 columns.
 * The field is built twice: first ending in an empty {@code b=} (that text is what gets signed), then completed by
 * appending the folded signature, so the signed text and the sent text differ only inside {@code b=}.
 */
final class SignatureFormatter {

    static final String FIELD_NAME = "DKIM-Signature";
    private static final int MAX_COLUMNS = 76;
    private static final String FOLD = "\r\n\t";

    private final StringBuilder text = new StringBuilder(512);
    private int column;

    private SignatureFormatter() {
        text.append(FIELD_NAME).append(':');
        column = text.length();
    }

    /** The field up to and including {@code b=}, without a CRLF. */
    static String unsigned(DkimKey key, long timestamp, List<String> signedNames, byte[] bodyHash) {
        SigningPolicy policy = key.policy();
        SignatureFormatter f = new SignatureFormatter();
        f.tag("v=1;");
        f.tag("a=" + key.algorithm().tag() + ";");
        f.tag("c=" + policy.headerCanonicalization().tag() + "/" + policy.bodyCanonicalization().tag() + ";");
        f.tag("d=" + key.domain() + ";");
        f.tag("s=" + key.selector() + ";");
        f.tag("t=" + timestamp + ";");
        f.headerList(signedNames);
        f.tag("bh=" + Base64.getEncoder().encodeToString(bodyHash) + ";");
        f.fold();
        f.text.append("b=");
        return f.text.toString();
    }

    /** The whole field, CRLF included: {@code unsigned} with the signature folded in after {@code b=}. */
    static String complete(String unsigned, byte[] signature) {
        String b64 = Base64.getEncoder().encodeToString(signature);
        StringBuilder out = new StringBuilder(unsigned.length() + b64.length() + 16).append(unsigned);
        int column = unsigned.length() - unsigned.lastIndexOf('\n') - 1;
        int at = 0;
        while (at < b64.length()) {
            int room = MAX_COLUMNS - column;
            if (room <= 0) {
                out.append(FOLD);
                column = 1;
                continue;
            }
            int end = Math.min(b64.length(), at + room);
            out.append(b64, at, end);
            column += end - at;
            at = end;
        }
        return out.append("\r\n").toString();
    }

    private void tag(String tag) {
        if (column + 1 + tag.length() > MAX_COLUMNS) {
            fold();
        } else {
            text.append(' ');
            column++;
        }
        text.append(tag);
        column += tag.length();
    }

    /** {@code h=} may be folded between names (FWS is allowed around ':'), which long lists need. */
    private void headerList(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String piece = (i == 0 ? "h=" : "") + names.get(i) + (i == names.size() - 1 ? ";" : ":");
            if (i == 0) {
                tag(piece);
            } else {
                if (column + piece.length() > MAX_COLUMNS) {
                    fold();
                }
                text.append(piece);
                column += piece.length();
            }
        }
    }

    private void fold() {
        text.append(FOLD);
        column = 1;
    }
}
