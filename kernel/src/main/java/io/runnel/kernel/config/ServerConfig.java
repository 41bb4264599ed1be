package io.runnel.kernel.config;

import io.runnel.api.mail.EmailAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code [server]} section.
 *
 * @param hostname      this host's name: the default for listeners, Received headers and self-signed certificates
 * @param dataDir       where the spool and generated TLS material live
 * @param localDomains  domains whose mail this host accepts from anyone
 * @param bounceDomains domains that receive bounces and feedback reports, accepted from anyone
 * @param feedbackAddresses single addresses (any domain) that receive feedback reports, accepted from anyone
 */
public record ServerConfig(String hostname, Path dataDir, Set<String> localDomains, Set<String> bounceDomains,
                           Set<String> feedbackAddresses) {

    public ServerConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(dataDir, "dataDir");
        localDomains = lowerCase(localDomains);
        bounceDomains = lowerCase(bounceDomains);
        feedbackAddresses = lowerCase(feedbackAddresses);
    }

    /** True when mail for {@code recipient} is accepted without relay permission. */
    public boolean acceptsFromAnyone(EmailAddress recipient) {
        return acceptsFromAnyone(recipient.domain()) || feedbackAddresses.contains(recipient.toString().toLowerCase(Locale.ROOT));
    }

    /** True when mail for {@code domain} is accepted without relay permission. */
    public boolean acceptsFromAnyone(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return localDomains.contains(d) || bounceDomains.contains(d);
    }

    private static Set<String> lowerCase(Set<String> domains) {
        return domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
