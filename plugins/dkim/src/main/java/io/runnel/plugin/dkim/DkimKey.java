package io.runnel.plugin.dkim;

import io.runnel.api.mail.Ascii;
import java.net.IDN;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured signing key with its policy.
 *
 * @param tenant when present, the key signs only that tenant's mail
 */
public record DkimKey(String domain, String selector, Optional<String> tenant, SignatureAlgorithm algorithm,
                      PrivateKey privateKey, SigningPolicy policy) {

    /** RFC 1035 2.3.4: octets in one label. */
    private static final int MAX_LABEL = 63;

    public DkimKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(policy, "policy");
        domain = normalizeDomain(domain);
        if (domain.isEmpty() || selector.isBlank()) {
            throw new IllegalArgumentException("domain and selector must not be blank");
        }
    }

    /**
     * Lower case A-labels without a final dot: d= must be ASCII (RFC 6376 3.5) and matching is exact. An ASCII name
     * (nearly every From domain; this runs once per message) skips IDN's conversion but not its label checks.
     */
    static String normalizeDomain(String domain) {
        String trimmed = domain.strip();
        if (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.isEmpty() && Ascii.isAscii(trimmed)) {
            for (String label : trimmed.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > MAX_LABEL) {
                    throw new IllegalArgumentException("not a domain name: " + trimmed);
                }
            }
            return trimmed.toLowerCase(Locale.ROOT);
        }
        return IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    DkimKey withPrivateKey(PrivateKey key) {
        return new DkimKey(domain, selector, tenant, algorithm, key, policy);
    }

    boolean signsFor(String otherDomain) {
        return domain.equalsIgnoreCase(otherDomain);
    }
}
