package io.runnel.kernel.config;

import java.util.List;

/**
 * The TLS versions and cipher suites a listener accepts.
 *
 * @param protocols JDK protocol names, {@code TLSv1.3} and {@code TLSv1.2} by default
 * @param ciphers   JDK cipher suite names; TLS 1.3 suites and TLS 1.2 ECDHE with AEAD by default
 */
public record TlsSettings(List<String> protocols, List<String> ciphers) {

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Forward secrecy and AEAD only (Mozilla's "intermediate" set as the JDK names it). */
    public static final List<String> DEFAULT_CIPHERS = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Protocols older than TLS 1.2 are broken (RFC 8996): they are refused in the config. */
    static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        if (protocols.isEmpty() || ciphers.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS protocol and one cipher suite are needed");
        }
    }

    public static TlsSettings defaults() {
        return new TlsSettings(DEFAULT_PROTOCOLS, DEFAULT_CIPHERS);
    }
}
