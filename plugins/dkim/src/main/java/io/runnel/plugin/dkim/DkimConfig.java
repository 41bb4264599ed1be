package io.runnel.plugin.dkim;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [plugins.dkim]}: policy defaults at the top, one {@code [[plugins.dkim.key]]} per signing key (which
 * may override the policy). Keys are parsed here, once, so a bad key stops the start rather than a message.
 */
final class DkimConfig {

    static final int MIN_RSA_BITS = 1024;
    static final int MAX_RSA_BITS = 4096;

    private DkimConfig() {
    }

    /** The keys, ready for the provider that signs with them. */
    record Loaded(SigningCrypto crypto, List<DkimKey> keys) {
    }

    static Loaded read(ConfigSection config, Path home) throws PluginConfigException {
        SigningPolicy defaults = policy(config, SigningPolicy.DEFAULT);
        SigningCrypto.Choice choice = crypto(config);
        List<ConfigSection> sections = config.sections("key");
        config.rejectUnknownKeys();
        if (sections.isEmpty()) {
            throw config.error("key", "no [[" + config.path() + ".key]] configured: nothing to sign with");
        }
        List<DkimKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigSection section : sections) {
            DkimKey key = key(section, home, policy(section, defaults));
            if (!seen.add(key.domain() + "/" + key.selector() + "/" + key.tenant().orElse(""))) {
                throw section.error("selector", "selector " + key.selector() + " of " + key.domain()
                        + " is configured twice for the same tenant");
            }
            keys.add(key);
        }
        return prepared(config, choice, keys);
    }

    private static SigningCrypto.Choice crypto(ConfigSection config) throws PluginConfigException {
        Optional<String> text = config.string("crypto");
        if (text.isEmpty()) {
            return SigningCrypto.Choice.AUTO;
        }
        return SigningCrypto.Choice.parse(text.get()).orElseThrow(() -> config.error("crypto",
                "'" + text.get() + "' is not auto, aws-lc or jdk"));
    }

    /**
     * The keys converted for the chosen provider. The first key of each algorithm checks that the provider signs
     * exactly as the JDK does; with {@code auto}, a provider that cannot load or disagrees leaves signing to the JDK.
     */
    private static Loaded prepared(ConfigSection config, SigningCrypto.Choice choice, List<DkimKey> keys)
            throws PluginConfigException {
        if (choice == SigningCrypto.Choice.JDK) {
            return new Loaded(SigningCrypto.jdk(" (crypto = \"jdk\")"), keys);
        }
        try {
            SigningCrypto crypto = SigningCrypto.awsLc();
            Set<SignatureAlgorithm> checked = EnumSet.noneOf(SignatureAlgorithm.class);
            List<DkimKey> prepared = new ArrayList<>(keys.size());
            for (DkimKey key : keys) {
                prepared.add(key.withPrivateKey(crypto.prepare(key.privateKey(), key.algorithm(), checked.add(key.algorithm()))));
            }
            return new Loaded(crypto, List.copyOf(prepared));
        } catch (GeneralSecurityException | RuntimeException e) {
            if (choice == SigningCrypto.Choice.AWS_LC) {
                throw config.error("crypto", "aws-lc cannot sign here: " + e.getMessage());
            }
            return new Loaded(SigningCrypto.jdk(" (AWS-LC not used: " + e.getMessage() + ")"), keys);
        }
    }

    private static DkimKey key(ConfigSection section, Path home, SigningPolicy policy) throws PluginConfigException {
        String domain = required(section, "domain");
        String selector = required(section, "selector");
        String keyPath = required(section, "private_key");
        Optional<String> tenant = section.string("tenant");
        Optional<String> configuredAlgorithm = section.string("algorithm");
        section.rejectUnknownKeys();

        PrivateKey privateKey = load(section, home.resolve(keyPath));
        SignatureAlgorithm inferred = algorithmOf(section, privateKey);
        if (configuredAlgorithm.isPresent()) {
            SignatureAlgorithm configured = SignatureAlgorithm.parse(configuredAlgorithm.get()).orElseThrow(
                    () -> section.error("algorithm", "unknown algorithm '" + configuredAlgorithm.get()
                            + "' (rsa-sha256 or ed25519-sha256)"));
            if (configured != inferred) {
                throw section.error("algorithm", configured.tag() + " does not match the key in " + keyPath
                        + ", which is for " + inferred.tag());
            }
        }
        if (domain.isBlank() || selector.isBlank() || tenant.map(String::isBlank).orElse(false)) {
            throw section.error(domain.isBlank() ? "domain" : selector.isBlank() ? "selector" : "tenant",
                    "must not be blank");
        }
        return new DkimKey(domain, selector, tenant, inferred, privateKey, policy);
    }

    private static PrivateKey load(ConfigSection section, Path file) throws PluginConfigException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw section.error("private_key", "cannot read " + file + ": " + e);
        }
        try {
            return PemKeys.parse(pem);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw section.error("private_key", "not a usable private key in " + file + ": " + e.getMessage());
        }
    }

    private static SignatureAlgorithm algorithmOf(ConfigSection section, PrivateKey key) throws PluginConfigException {
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw section.error("private_key", "RSA key has " + bits + " bits; DKIM needs "
                        + MIN_RSA_BITS + ".." + MAX_RSA_BITS + " (RFC 8301)");
            }
            return SignatureAlgorithm.RSA_SHA256;
        }
        if ("Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            return SignatureAlgorithm.ED25519_SHA256;
        }
        throw section.error("private_key", "unsupported key type " + key.getAlgorithm() + " (RSA or Ed25519)");
    }

    private static SigningPolicy policy(ConfigSection section, SigningPolicy defaults) throws PluginConfigException {
        Canonicalization header = canonicalization(section, "header_canonicalization",
                defaults.headerCanonicalization());
        Canonicalization body = canonicalization(section, "body_canonicalization", defaults.bodyCanonicalization());
        List<String> headers = section.strings("headers");
        boolean overSign = section.bool("over_sign").orElse(defaults.overSign());
        try {
            return new SigningPolicy(header, body, headers.isEmpty() ? defaults.headers() : headers, overSign);
        } catch (IllegalArgumentException e) {
            throw section.error("headers", e.getMessage());
        }
    }

    private static Canonicalization canonicalization(ConfigSection section, String key, Canonicalization fallback)
            throws PluginConfigException {
        Optional<String> text = section.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        return Canonicalization.parse(text.get())
                .orElseThrow(() -> section.error(key, "'" + text.get() + "' is neither relaxed nor simple"));
    }

    private static String required(ConfigSection section, String key) throws PluginConfigException {
        return section.string(key).orElseThrow(() -> section.error(key, "required"));
    }
}
