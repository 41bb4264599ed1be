package io.runnel.kernel.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [rules]} section: where the rule scripts are, how long a rule may run, and how a message finds its
 * tenant (and so the tenant's script {@code rules/<tenant>.groovy}).
 *
 * @param folder  the folder of {@code *.groovy} scripts; {@code global.groovy} runs for every message
 * @param timeout the longest one phase's rules may run for one message or ready queue
 * @param threads threads that run rules (off the event loops)
 * @param by      the facts that select the tenant, in order; the first that matches wins
 * @param tenants which AUTH identities, listeners and client networks belong to which tenant
 */
public record RulesConfig(Path folder, Duration timeout, int threads, List<Selector> by, List<TenantMatch> tenants) {

    public static final String GLOBAL_SCRIPT = "global.groovy";

    public RulesConfig {
        Objects.requireNonNull(folder, "folder");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        by = List.copyOf(by);
        tenants = List.copyOf(tenants);
    }

    /** A fact that can name a message's tenant. */
    public enum Selector {
        /** the session's AUTH identity, listed in a tenant's {@code auth} */
        AUTH,
        /** the listener's name, listed in a tenant's {@code listeners} */
        LISTENER,
        /** the client's IP address, inside one of a tenant's {@code networks} */
        NETWORK,
        /** the value of {@code [reception] tenant_header} (X-Tenant) */
        HEADER
    }

    /** A {@code [[rules.tenant]]}. */
    public record TenantMatch(String name, List<String> auth, List<String> listeners, List<Cidr> networks) {
        public TenantMatch {
            Objects.requireNonNull(name, "name");
            auth = List.copyOf(auth);
            listeners = List.copyOf(listeners);
            networks = List.copyOf(networks);
        }
    }

    /** The tenant the session facts name, trying {@link #by} in order; the header's value is passed in. */
    public Optional<String> tenantFor(Optional<String> authIdentity, String listener, InetAddress client,
                                      Optional<String> headerTenant) {
        for (Selector selector : by) {
            Optional<String> found = switch (selector) {
                case AUTH -> authIdentity.flatMap(id -> first(t -> t.auth().contains(id)));
                case LISTENER -> first(t -> t.listeners().contains(listener));
                case NETWORK -> client == null ? Optional.empty()
                        : first(t -> t.networks().stream().anyMatch(n -> n.contains(client)));
                case HEADER -> headerTenant;
            };
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<String> first(java.util.function.Predicate<TenantMatch> test) {
        return tenants.stream().filter(test).map(TenantMatch::name).findFirst();
    }
}
