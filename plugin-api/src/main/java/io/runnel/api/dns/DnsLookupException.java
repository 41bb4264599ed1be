package io.runnel.api.dns;

/**
 * A lookup that produced no usable answer. NXDOMAIN is permanent; SERVFAIL, REFUSED and timeouts are transient.
 *
 * @since API 1.0
 */
public final class DnsLookupException extends Exception {

    /** Why the lookup failed. */
    public enum Kind {
        /** The name does not exist (RCODE 3): permanent. */
        NXDOMAIN(true),
        /** The server failed or refused (SERVFAIL, REFUSED, other RCODEs): transient. */
        SERVER_FAILURE(false),
        /** No answer in time: transient. */
        TIMEOUT(false);

        private final boolean permanent;

        Kind(boolean permanent) {
            this.permanent = permanent;
        }
    }

    private final Kind kind;
    private final String name;

    public DnsLookupException(Kind kind, String name, String message, Throwable cause) {
        super(name + ": " + message, cause);
        this.kind = kind;
        this.name = name;
    }

    public Kind kind() {
        return kind;
    }

    /** The name that was looked up. */
    public String name() {
        return name;
    }

    /** True when asking again will not help. */
    public boolean isPermanent() {
        return kind.permanent;
    }
}
