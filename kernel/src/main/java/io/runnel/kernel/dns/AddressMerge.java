package io.runnel.kernel.dns;

import io.runnel.api.dns.DnsLookupException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Joins the A and AAAA halves of one address lookup: any address is an answer, whatever the other half did. */
final class AddressMerge {

    private AddressMerge() {
    }

    /** One settled half: addresses, or the failure (the other is null, as {@code handle} hands them over). */
    record Half(List<InetAddress> addresses, Throwable failure) {
    }

    static CompletionStage<List<InetAddress>> merge(Half v4, Half v6) {
        List<InetAddress> out = new ArrayList<>();
        if (v4.addresses() != null) {
            out.addAll(v4.addresses());
        }
        if (v6.addresses() != null) {
            out.addAll(v6.addresses());
        }
        if (!out.isEmpty() || (v4.failure() == null && v6.failure() == null)) {
            return CompletableFuture.completedFuture(List.copyOf(out));
        }
        Throwable a = unwrap(v4.failure());
        Throwable b = unwrap(v6.failure());
        // a transient failure wins over NXDOMAIN: asking again may still find the host
        Throwable chosen = a == null ? b : b == null ? a : isPermanent(a) ? b : a;
        return CompletableFuture.failedFuture(chosen);
    }

    private static boolean isPermanent(Throwable t) {
        return t instanceof DnsLookupException e && e.isPermanent();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t;
    }
}
