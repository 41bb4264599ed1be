package io.runnel.plugin.dkim;

/** Test messages that exercise canonicalisation (test only); each has From and Date, which libopendkim requires. */
enum Messages {
    FOLDED_HEADERS_AND_TRAILING_WHITESPACE("From: Joe SixPack <joe@example.com>\r\n"
            + "To: Suzie Q <suzie@shopping.example.net>,\r\n  Bob <bob@shopping.example.net>\r\n"
            + "Subject:   Is dinner\r\n\tready?   \r\n"
            + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
            + "Message-ID: <20030712040037.46341.5F8J@example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain;\r\n charset=us-ascii\r\n"
            + "\r\n"
            + "Hi.  \r\n\r\nWe lost the game.\t Are you hungry yet?   \r\n\r\nJoe.\r\n\r\n\r\n"),
    EMPTY_BODY("From: joe@example.com\r\n"
            + "To: suzie@shopping.example.net\r\n"
            + "Subject: nothing to say\r\n"
            + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
            + "\r\n"),
    EIGHT_BIT_BODY("From: =?utf-8?q?Jos=C3=A9?= <jose@example.com>\r\n"
            + "To: suzie@shopping.example.net\r\n"
            + "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
            + "Date: Sat, 28 Nov 2026 18:52:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Grüße aus Köln — naïve café ✓  \r\n\r\n");

    private final String text;

    Messages(String text) {
        this.text = text;
    }

    ByteMessage message() {
        return ByteMessage.parse(text);
    }
}
