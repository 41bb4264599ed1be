package io.runnel.plugin.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Optional;

/** The signing algorithms of {@code a=}: rsa-sha256 (RFC 6376) and ed25519-sha256 (RFC 8463). */
public enum SignatureAlgorithm {
    RSA_SHA256("rsa-sha256"),
    ED25519_SHA256("ed25519-sha256");

    private final String tag;

    SignatureAlgorithm(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    static Optional<SignatureAlgorithm> parse(String text) {
        for (SignatureAlgorithm a : values()) {
            if (a.tag.equalsIgnoreCase(text.trim())) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Signs the canonicalised header data. A new {@link Signature} per call: instances are not thread-safe. */
    byte[] sign(SigningCrypto crypto, PrivateKey key, byte[] data) throws GeneralSecurityException {
        return switch (this) {
            case RSA_SHA256 -> {
                Signature rsa = crypto.signature("SHA256withRSA");
                rsa.initSign(key);
                rsa.update(data);
                yield rsa.sign();
            }
            case ED25519_SHA256 -> {
                // RFC 8463 3: Ed25519 signs the SHA-256 hash of the data, not the data itself
                Signature ed = crypto.signature("Ed25519");
                ed.initSign(key);
                ed.update(MessageDigest.getInstance("SHA-256").digest(data));
                yield ed.sign();
            }
        };
    }
}
