package io.runnel.kernel.smtp.client;

/** Where an outbound session stands; failures name the stage whose reply did not come. */
public enum SmtpStage {
    CONNECT("connect"),
    BANNER("greeting"),
    EHLO("EHLO"),
    HELO("HELO"),
    STARTTLS("STARTTLS"),
    TLS_HANDSHAKE("TLS handshake"),
    MAIL("MAIL FROM"),
    RCPT("RCPT TO"),
    DATA("DATA"),
    DATA_DOT("end of data"),
    /** The reply to {@code BDAT <size> LAST}: the end-of-data reply of a chunked transaction. */
    BDAT_LAST("BDAT LAST"),
    RSET("RSET"),
    QUIT("QUIT"),
    /** Between transactions: nothing was outstanding. */
    IDLE("idle");

    private final String label;

    SmtpStage(String label) {
        this.label = label;
    }

    /** How the stage reads in log lines and bounce text. */
    public String label() {
        return label;
    }
}
