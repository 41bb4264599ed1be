package io.runnel.plugin.dkim;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.util.Locale;
import java.util.Optional;

/**
 * Which JCA provider makes the signatures. AWS-LC through the bundled Amazon Corretto Crypto Provider (native code,
 * linux-x86_64) signs RSA about 2.5 times and Ed25519 about 20 times cheaper than the JDK; both schemes are
 * deterministic, so either provider yields the same bytes for the same key and data. The provider is used directly,
 * never installed JVM-wide: the daemon's TLS and everything else keep the JDK's.
 */
final class SigningCrypto {

    /** The {@code crypto} setting. */
    enum Choice {
        /** AWS-LC when it loads on this platform and signs exactly as the JDK does; else the JDK. */
        AUTO("auto"),
        /** AWS-LC or a configuration error. */
        AWS_LC("aws-lc"),
        JDK("jdk");

        private final String text;

        Choice(String text) {
            this.text = text;
        }

        static Optional<Choice> parse(String text) {
            for (Choice choice : values()) {
                if (choice.text.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(choice);
                }
            }
            return Optional.empty();
        }
    }

    private static final byte[] PROBE = "runnel dkim provider check".getBytes(StandardCharsets.US_ASCII);

    /** Empty: the JDK's providers. */
    private final Optional<Provider> provider;
    private final String description;

    private SigningCrypto(Optional<Provider> provider, String description) {
        this.provider = provider;
        this.description = description;
    }

    static SigningCrypto jdk(String why) {
        return new SigningCrypto(Optional.empty(), "the JDK's providers" + why);
    }

    /** AWS-LC, or why it cannot sign here. */
    static SigningCrypto awsLc() throws GeneralSecurityException {
        Provider accp;
        try {
            accp = AmazonCorrettoCryptoProvider.INSTANCE;
        } catch (LinkageError e) {
            throw new GeneralSecurityException("AWS-LC did not load: " + e, e);
        }
        Throwable loading = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        if (loading != null) {
            throw new GeneralSecurityException("AWS-LC did not load on this platform: " + loading.getMessage(), loading);
        }
        return new SigningCrypto(Optional.of(accp), "AWS-LC (Amazon Corretto Crypto Provider " + accp.getVersionStr() + ")");
    }

    boolean isNative() {
        return provider.isPresent();
    }

    String description() {
        return description;
    }

    /**
     * The key in the provider's own form, converted once here rather than on every signature (a conversion costs as
     * much as the signature itself). With {@code check}, the key first signs a probe with both providers, which must
     * agree byte for byte.
     */
    PrivateKey prepare(PrivateKey key, SignatureAlgorithm algorithm, boolean check) throws GeneralSecurityException {
        if (provider.isEmpty()) {
            return key;
        }
        PrivateKey prepared = key instanceof RSAKey ? (PrivateKey) KeyFactory.getInstance("RSA", provider.get()).translateKey(key) : key;
        if (check && !MessageDigest.isEqual(algorithm.sign(jdk(""), key, PROBE), algorithm.sign(this, prepared, PROBE))) {
            throw new GeneralSecurityException(description + " and the JDK sign differently");
        }
        return prepared;
    }

    /**
     * A new {@link Signature} for {@code algorithm}. Not reused across keys: AWS-LC converts a JDK Ed25519 key for each
     * initSign and destroys that conversion at the next one, which breaks a reused instance ("Key has been destroyed").
     */
    Signature signature(String algorithm) throws GeneralSecurityException {
        return provider.isPresent() ? Signature.getInstance(algorithm, provider.get()) : Signature.getInstance(algorithm);
    }
}
