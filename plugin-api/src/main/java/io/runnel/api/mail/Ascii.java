package io.runnel.api.mail;

/** Whether mail text needs more than US-ASCII (SMTPUTF8, IDNA, a charset other than us-ascii). */
public final class Ascii {

    private Ascii() {
    }

    /** True when every char of {@code text} is US-ASCII (below 0x80); a loop, as callers are on per-message paths. */
    public static boolean isAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
