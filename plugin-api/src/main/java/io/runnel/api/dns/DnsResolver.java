package io.runnel.api.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous DNS lookups, shared by the kernel and plugins. Answers are cached by the implementation for their
 * TTL; failures complete the stage exceptionally with {@link DnsLookupException}, whose
 * {@link DnsLookupException#isPermanent()} tells a domain that does not exist from a resolver that could not
 * answer. Safe for concurrent use; never blocks the caller.
 *
 * @since API 1.0
 */
public interface DnsResolver {

    /**
     * The MX records of {@code domain}, sorted by preference (ties in random order, RFC 5321 5.1). An empty answer
     * (the domain exists but has no MX) completes with an empty list: mail then goes to the domain's own address.
     * A null MX (RFC 7505: one record, preference 0, host ".") completes with {@link MxAnswer#nullMx()} true.
     */
    CompletionStage<MxAnswer> mx(String domain);

    /** The IPv4 and IPv6 addresses of {@code host} (A and AAAA), IPv4 first; empty when it has neither. */
    CompletionStage<List<InetAddress>> addresses(String host);

    /** The TXT strings of {@code name}, each record's character-strings joined. */
    CompletionStage<List<String>> txt(String name);
}
