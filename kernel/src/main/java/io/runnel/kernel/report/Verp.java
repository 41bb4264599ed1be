package io.runnel.kernel.report;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.ReportConfig;
import io.runnel.kernel.spool.SpoolId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Variable envelope return paths: the outbound MAIL FROM names the message and the recipient, so a bounce to it says
 * what bounced even when its content says nothing usable.
 * <pre>
 *   b+0190c6f1a2b34c5d8e9f00112233aabb=alice=example.com@bounces.example.net   one recipient
 *   b+0190c6f1a2b34c5d8e9f00112233aabb@bounces.example.net                     several recipients, or a local part
 *                                                                              that would pass 64 octets
 * </pre>
 * The recipient's domain is after the last {@code =} (domains have none); its local part is everything between.
 */
public final class Verp {

    private static final int MAX_LOCAL_PART = 64; // RFC 5321 4.5.3.1.1
    private static final Pattern ADDRESS = Pattern.compile("(?i)^([A-Za-z0-9._-]+)\\+([0-9a-f]{32})(?:=(.+)=([^=]+))?$");

    private Verp() {
    }

    /** What a VERP address names. */
    public record Decoded(SpoolId id, Optional<EmailAddress> recipient) {
    }

    /** The MAIL FROM for a transaction of {@code id} to {@code recipients}. */
    public static EmailAddress encode(ReportConfig.Verp verp, SpoolId id, List<EmailAddress> recipients) {
        String base = verp.prefix() + "+" + id;
        if (recipients.size() == 1) {
            EmailAddress r = recipients.get(0);
            String local = base + "=" + r.localPart() + "=" + r.domain();
            if (local.length() <= MAX_LOCAL_PART && r.isAscii() && !r.localPart().startsWith("\"")) {
                return new EmailAddress(local, verp.domain());
            }
        }
        return new EmailAddress(base, verp.domain());
    }

    /** The message and recipient a bounce address names, when it is one of ours. */
    public static Optional<Decoded> decode(ReportConfig.Verp verp, EmailAddress address) {
        if (!address.domain().equalsIgnoreCase(verp.domain())) {
            return Optional.empty();
        }
        Matcher m = ADDRESS.matcher(address.localPart());
        if (!m.matches() || !m.group(1).equalsIgnoreCase(verp.prefix())) {
            return Optional.empty();
        }
        SpoolId id = SpoolId.parse(m.group(2).toLowerCase(Locale.ROOT));
        Optional<EmailAddress> recipient = Optional.empty();
        if (m.group(3) != null) {
            try {
                recipient = Optional.of(new EmailAddress(m.group(3), m.group(4)));
            } catch (IllegalArgumentException e) {
                recipient = Optional.empty(); // mangled on the way back: the id alone still ties the bounce
            }
        }
        return Optional.of(new Decoded(id, recipient));
    }
}
