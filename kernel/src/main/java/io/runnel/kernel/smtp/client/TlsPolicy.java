package io.runnel.kernel.smtp.client;

/**
 * Whether and how a connection upgrades with STARTTLS (RFC 3207). Names and meaning follow KumoMTA's
 * {@code enable_tls}. A handshake that fails is never retried in clear on the same connection: the connection
 * fails with {@link SmtpClientException.TlsFailed} and the caller decides whether to try again later.
 */
public enum TlsPolicy {
    /** STARTTLS when offered; the certificate must verify for the server name. */
    OPPORTUNISTIC(false, true),
    /** STARTTLS when offered; any certificate is accepted (most MX hosts have self-signed ones). */
    OPPORTUNISTIC_INSECURE(false, false),
    /** STARTTLS must be offered and the certificate must verify for the server name. */
    REQUIRED(true, true),
    /** STARTTLS must be offered; any certificate is accepted. */
    REQUIRED_INSECURE(true, false),
    /** Never STARTTLS, even when offered. */
    DISABLED(false, false);

    private final boolean required;
    private final boolean verifies;

    TlsPolicy(boolean required, boolean verifies) {
        this.required = required;
        this.verifies = verifies;
    }

    /** True when a connection without TLS must not carry mail. */
    public boolean required() {
        return required;
    }

    /** True when the server certificate is checked against the trust store and the server name. */
    public boolean verifies() {
        return verifies;
    }
}
