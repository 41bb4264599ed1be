package io.runnel.kernel.smtp.server;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MailParameters.BodyType;
import io.runnel.kernel.message.MailParameters.DsnReturn;
import io.runnel.kernel.message.Recipient.DsnNotify;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates the ESMTP parameters of MAIL FROM (SIZE, BODY, SMTPUTF8, RET, ENVID, AUTH) and RCPT TO (NOTIFY, ORCPT). */
final class EsmtpParameters {

    private static final Pattern OCTETS = Pattern.compile("\\d{1,18}");
    /** RFC 5321 4.1.2 esmtp-keyword (keys arrive upper-cased). */
    private static final Pattern KEYWORD = Pattern.compile("[A-Z0-9][A-Z0-9-]*");

    private EsmtpParameters() {
    }

    /** MAIL FROM parameters, or the reply refusing them. */
    sealed interface MailResult {
        record Accepted(MailParameters parameters, OptionalLong declaredSize) implements MailResult {
        }

        record Refused(SmtpReply reply) implements MailResult {
        }
    }

    /** RCPT TO parameters, or the reply refusing them. */
    sealed interface RcptResult {
        record Accepted(Set<DsnNotify> notifyOn, Optional<String> originalRecipient) implements RcptResult {
        }

        record Refused(SmtpReply reply) implements RcptResult {
        }
    }

    static MailResult mail(Map<String, String> parameters) {
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Optional<DsnReturn> ret = Optional.empty();
        Optional<String> envelopeId = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "SIZE" -> {
                    if (value == null || !OCTETS.matcher(value).matches()) {
                        return refusedMail(501, "5.5.4", "Syntax: SIZE=octets");
                    }
                    size = OptionalLong.of(Long.parseLong(value));
                }
                case "BODY" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (v.equals("7BIT")) {
                        body = BodyType.SEVEN_BIT;
                    } else if (v.equals("8BITMIME")) {
                        body = BodyType.EIGHT_BIT_MIME;
                    } else {
                        return refusedMail(555, "5.5.4", "Unsupported BODY type");
                    }
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        return refusedMail(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!v.equals("FULL") && !v.equals("HDRS")) {
                        return refusedMail(501, "5.5.4", "Syntax: RET=FULL or RET=HDRS");
                    }
                    if (ret.isPresent()) {
                        return refusedMail(501, "5.5.4", "RET given twice");
                    }
                    ret = Optional.of(DsnReturn.valueOf(v));
                }
                case "ENVID" -> {
                    Optional<String> decoded = value == null || value.length() > 100 ? Optional.empty() : Xtext.decode(value);
                    if (decoded.isEmpty()) {
                        return refusedMail(501, "5.5.4", "Syntax: ENVID=xtext of at most 100 characters");
                    }
                    envelopeId = decoded;
                }
                case "AUTH" -> {
                    // RFC 4954 5: accepted and not trusted; we do not relay it on.
                }
                default -> {
                    return isKeyword(p.getKey()) ? refusedMail(555, "5.5.4", "Unsupported MAIL parameter " + p.getKey())
                            : refusedMail(501, "5.5.4", "Syntax: bad MAIL parameter");
                }
            }
        }
        return new MailResult.Accepted(new MailParameters(body, smtpUtf8, ret, envelopeId), size);
    }

    static RcptResult rcpt(Map<String, String> parameters) {
        Set<DsnNotify> notify = Set.of();
        Optional<String> orcpt = Optional.empty();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String value = p.getValue();
            switch (p.getKey()) {
                case "NOTIFY" -> {
                    Optional<Set<DsnNotify>> parsed = value == null ? Optional.empty() : notify(value);
                    if (parsed.isEmpty()) {
                        return refusedRcpt(501, "5.5.4", "Syntax: NOTIFY=NEVER or NOTIFY=SUCCESS,FAILURE,DELAY");
                    }
                    notify = parsed.get();
                }
                case "ORCPT" -> {
                    int semicolon = value == null ? -1 : value.indexOf(';');
                    Optional<String> address = semicolon <= 0 ? Optional.empty() : Xtext.decode(value.substring(semicolon + 1));
                    if (address.isEmpty() || address.get().isEmpty() || value.length() > 500) {
                        return refusedRcpt(501, "5.5.4", "Syntax: ORCPT=addr-type;xtext");
                    }
                    orcpt = Optional.of(value.substring(0, semicolon).toLowerCase(Locale.ROOT) + ";" + address.get());
                }
                default -> {
                    return isKeyword(p.getKey()) ? refusedRcpt(555, "5.5.4", "Unsupported RCPT parameter " + p.getKey())
                            : refusedRcpt(501, "5.5.4", "Syntax: bad RCPT parameter");
                }
            }
        }
        return new RcptResult.Accepted(notify, orcpt);
    }

    private static Optional<Set<DsnNotify>> notify(String value) {
        Set<DsnNotify> out = EnumSet.noneOf(DsnNotify.class);
        for (String item : value.split(",", -1)) {
            try {
                out.add(DsnNotify.valueOf(item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (out.contains(DsnNotify.NEVER) && out.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    /** Only a well-formed keyword is echoed: raw client bytes (a CR, say) cannot go into a reply. */
    private static boolean isKeyword(String key) {
        return KEYWORD.matcher(key).matches();
    }

    private static MailResult refusedMail(int code, String status, String text) {
        return new MailResult.Refused(SmtpReply.of(code, status, text));
    }

    private static RcptResult refusedRcpt(int code, String status, String text) {
        return new RcptResult.Refused(SmtpReply.of(code, status, text));
    }
}
