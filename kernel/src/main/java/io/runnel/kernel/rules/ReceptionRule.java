package io.runnel.kernel.rules;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The delegate of a {@code reception { ... }} rule: facts about the message and its session, and what a rule may
 * decide. One instance per message, used by one thread; every rule of the message (global, then the tenant's)
 * sees the decisions of the rules before it.
 */
public final class ReceptionRule {

    private final ReceptionInput input;
    private final List<HeaderField> headers;
    private final List<String> signingDomains = new ArrayList<>();
    private Optional<SmtpReply> refusal = Optional.empty();
    private Optional<String> tenant;
    private Optional<String> campaign;
    private Optional<String> pool = Optional.empty();
    private Optional<String> selector = Optional.empty();
    private boolean headersChanged;

    ReceptionRule(ReceptionInput input) {
        this.input = input;
        this.headers = new ArrayList<>(input.headers());
        this.tenant = input.tenant();
        this.campaign = input.campaign();
    }

    // ---- facts

    /** The client's IP address as text. */
    public String getClientIp() {
        return input.facts().peerAddress();
    }

    /** The AUTH identity, or null when the session did not authenticate. */
    public String getAuthIdentity() {
        return input.facts().authIdentity().orElse(null);
    }

    /** True when the session was encrypted (STARTTLS or implicit TLS). */
    public boolean getTls() {
        return input.facts().tls().isPresent();
    }

    /** The EHLO / HELO argument. */
    public String getHelo() {
        return input.facts().helo();
    }

    /** The name of the listener the message came in on. */
    public String getListener() {
        return input.facts().listener();
    }

    /** The envelope sender; empty text for the null sender {@code <>}. */
    public String getSender() {
        return input.sender();
    }

    /** The envelope recipients. */
    public List<String> getRecipients() {
        return input.recipients();
    }

    /** The tenant so far (from the tenant selection, a header, or an earlier rule), or null. */
    public String getTenant() {
        return tenant.orElse(null);
    }

    /** The campaign so far, or null. */
    public String getCampaign() {
        return campaign.orElse(null);
    }

    /** The pool chosen so far by a rule, or null (the tenant's pool applies). */
    public String getPool() {
        return pool.orElse(null);
    }

    /** The first {@code name} field's value, unfolded and trimmed, or null when absent. */
    public String header(String name) {
        for (HeaderField field : headers) {
            if (field.hasName(name)) {
                return field.value().replace("\r\n", "").replace("\n", "").strip();
            }
        }
        return null;
    }

    /** Every {@code name} field's value, unfolded and trimmed, in message order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (HeaderField field : headers) {
            if (field.hasName(name)) {
                values.add(field.value().replace("\r\n", "").replace("\n", "").strip());
            }
        }
        return values;
    }

    public boolean hasHeader(String name) {
        return header(name) != null;
    }

    // ---- classification

    public void tenant(String name) {
        tenant = Optional.of(QueueLabel.check("tenant", name));
    }

    public void campaign(String name) {
        campaign = Optional.of(QueueLabel.check("campaign", name));
    }

    /** The egress pool the message leaves through (a {@code [[egress.pool]]} name). */
    public void pool(String name) {
        pool = Optional.of(QueueLabel.check("pool", name));
    }

    // ---- header fields

    /** Appends a field at the end of the header block. */
    public void addHeader(String name, String value) {
        headers.add(field(name, value));
        headersChanged = true;
    }

    /** Removes every {@code name} field. */
    public void removeHeader(String name) {
        headersChanged |= headers.removeIf(field -> field.hasName(name));
    }

    /** Replaces the first {@code name} field's value in place and removes the others; appends it when absent. */
    public void setHeader(String name, String value) {
        HeaderField replacement = field(name, value);
        int first = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).hasName(name)) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            headers.add(replacement);
        } else {
            headers.set(first, replacement);
            for (int i = headers.size() - 1; i > first; i--) {
                if (headers.get(i).hasName(name)) {
                    headers.remove(i);
                }
            }
        }
        headersChanged = true;
    }

    // ---- signing

    /** DKIM-sign for {@code domain} (with every key of the domain, the tenant's first). May be called more than once. */
    public void sign(String domain) {
        signingDomains.add(domain.strip().toLowerCase(Locale.ROOT));
    }

    /** DKIM-sign for {@code domain} with the key of {@code selector} only. */
    public void sign(String domain, String selector) {
        sign(domain);
        this.selector = Optional.of(selector);
    }

    // ---- verdicts: the first one wins; the message is not spooled

    /** Refuses the message permanently with {@code 550 5.7.1 text}. */
    public void reject(String text) {
        reject(550, "5.7.1", text);
    }

    public void reject(int code, String enhanced, String text) {
        if (code < 500 || code > 599) {
            throw new IllegalArgumentException("reject needs a 5xx code, got " + code);
        }
        refuse(code, enhanced, text);
    }

    /** Refuses the message for now with {@code 451 4.7.1 text}: the client tries again later. */
    public void defer(String text) {
        defer(451, "4.7.1", text);
    }

    public void defer(int code, String enhanced, String text) {
        if (code < 400 || code > 499) {
            throw new IllegalArgumentException("defer needs a 4xx code, got " + code);
        }
        refuse(code, enhanced, text);
    }

    private void refuse(int code, String enhanced, String text) {
        if (refusal.isEmpty()) {
            refusal = Optional.of(SmtpReply.of(code, enhanced, text));
        }
    }

    private static HeaderField field(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header value must be one line: " + name);
        }
        return HeaderField.of(name.strip(), value);
    }

    ReceptionDecision decision() {
        return new ReceptionDecision(refusal, tenant, campaign, pool, headers, headersChanged, signingDomains, selector);
    }
}
