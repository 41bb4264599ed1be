package io.runnel.kernel.dns;

import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.smtp.SmtpReply;

/** The one place DNS failures become SMTP replies. Texts name the domain, never resolver internals. */
public final class DnsReplies {

    private DnsReplies() {
    }

    /** RFC 7505 section 4.3. */
    public static SmtpReply nullMx(String domain) {
        return SmtpReply.of(556, "5.1.10", "Domain " + domain + " does not accept mail (null MX)");
    }

    /**
     * Every mail host of a site (its MX hosts, or the domain as its own implicit MX) is known to have no address:
     * NXDOMAIN or no A/AAAA record for each, no lookup failed. Postfix's smtp answers 5.4.4 too
     * ({@code smtp_defer_if_no_mx_address_found = no}, its default).
     */
    public static SmtpReply noAddress(String site) {
        return SmtpReply.of(550, "5.4.4", "No address for any mail host of the destination (" + site + ")");
    }

    /** NXDOMAIN for {@code name}, a failure while looking up {@code name}, or a timeout. */
    public static SmtpReply replyFor(DnsLookupException e) {
        if (e.isPermanent()) {
            return SmtpReply.of(550, "5.1.2", "Domain " + e.name() + " does not exist");
        }
        return SmtpReply.of(451, "4.4.3", "DNS lookup for " + e.name() + " failed; will retry");
    }
}
