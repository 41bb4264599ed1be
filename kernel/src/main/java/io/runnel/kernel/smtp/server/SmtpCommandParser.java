package io.runnel.kernel.smtp.server;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns a command line into an {@link SmtpCommand}; syntax errors become {@link SmtpCommand.Invalid} with a reply. */
final class SmtpCommandParser {

    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern OCTETS = Pattern.compile("\\d{1,18}");

    private SmtpCommandParser() {
    }

    static SmtpCommand parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (verb) {
            case "EHLO" -> args.isEmpty() || args.contains(" ") ? invalid(501, "5.5.4", "Syntax: EHLO hostname") : new SmtpCommand.Ehlo(args);
            case "HELO" -> args.isEmpty() || args.contains(" ") ? invalid(501, "5.5.4", "Syntax: HELO hostname") : new SmtpCommand.Helo(args);
            case "MAIL" -> mail(args);
            case "RCPT" -> rcpt(args);
            case "DATA" -> args.isEmpty() ? new SmtpCommand.Data() : invalid(501, "5.5.4", "Syntax: DATA takes no arguments");
            case "BDAT" -> bdat(args);
            case "RSET" -> args.isEmpty() ? new SmtpCommand.Rset() : invalid(501, "5.5.4", "Syntax: RSET takes no arguments");
            case "NOOP" -> new SmtpCommand.Noop();
            case "QUIT" -> args.isEmpty() ? new SmtpCommand.Quit() : invalid(501, "5.5.4", "Syntax: QUIT takes no arguments");
            case "VRFY" -> args.isEmpty() ? invalid(501, "5.5.4", "Syntax: VRFY address") : new SmtpCommand.Vrfy();
            case "HELP" -> new SmtpCommand.Help();
            case "STARTTLS" -> args.isEmpty() ? new SmtpCommand.StartTls() : invalid(501, "5.5.4", "Syntax: STARTTLS takes no arguments");
            case "AUTH" -> auth(args);
            default -> invalid(500, "5.5.2", "Command not recognized");
        };
    }

    private static SmtpCommand mail(String args) {
        if (!startsWithIgnoreCase(args, "FROM:")) {
            return invalid(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }
        Optional<PathAndParameters> parsed = pathAndParameters(args.substring(5).stripLeading());
        if (parsed.isEmpty()) {
            return invalid(501, "5.1.7", "Bad sender address syntax");
        }
        String path = parsed.get().path();
        if (path.isEmpty()) {
            return new SmtpCommand.Mail(EmailAddress.NULL_SENDER, parsed.get().parameters());
        }
        try {
            return new SmtpCommand.Mail(EmailAddress.parse(path), parsed.get().parameters());
        } catch (IllegalArgumentException e) {
            return invalid(501, "5.1.7", "Bad sender address syntax");
        }
    }

    private static SmtpCommand rcpt(String args) {
        if (!startsWithIgnoreCase(args, "TO:")) {
            return invalid(501, "5.5.4", "Syntax: RCPT TO:<address>");
        }
        Optional<PathAndParameters> parsed = pathAndParameters(args.substring(3).stripLeading());
        if (parsed.isEmpty() || parsed.get().path().isEmpty()) {
            return invalid(501, "5.1.3", "Bad recipient address syntax");
        }
        String path = parsed.get().path();
        if (path.equalsIgnoreCase("postmaster")) {
            return invalid(550, "5.1.1", "Postmaster without a domain is not accepted here");
        }
        try {
            return new SmtpCommand.Rcpt(EmailAddress.parse(path), parsed.get().parameters());
        } catch (IllegalArgumentException e) {
            return invalid(501, "5.1.3", "Bad recipient address syntax");
        }
    }

    private record PathAndParameters(String path, Map<String, String> parameters) {
    }

    /** {@code <path> [SP param[=value]]*}, tolerating a source route {@code <@a,@b:user@d>} (RFC 5321 4.1.2). */
    private static Optional<PathAndParameters> pathAndParameters(String text) {
        if (!text.startsWith("<")) {
            return Optional.empty();
        }
        int close = closingBracket(text);
        if (close < 0) {
            return Optional.empty();
        }
        String path = text.substring(1, close);
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            path = path.substring(colon + 1);
        }
        String rest = text.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(" ")) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String token : SPACES.split(rest.strip())) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (key.isEmpty() || parameters.containsKey(key)) {
                return Optional.empty();
            }
            parameters.put(key, eq < 0 ? null : token.substring(eq + 1));
        }
        return Optional.of(new PathAndParameters(path, parameters));
    }

    /** The index of the {@code >} closing the path, skipping quoted strings. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static SmtpCommand bdat(String args) {
        String[] parts = SPACES.split(args);
        if (args.isEmpty() || parts.length > 2 || (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST"))
                || !OCTETS.matcher(parts[0]).matches()) {
            return invalid(501, "5.5.4", "Syntax: BDAT size [LAST]");
        }
        return new SmtpCommand.Bdat(Long.parseLong(parts[0]), parts.length == 2);
    }

    private static SmtpCommand auth(String args) {
        String[] parts = SPACES.split(args);
        if (args.isEmpty() || parts.length > 2) {
            return invalid(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return new SmtpCommand.Auth(parts[0].toUpperCase(Locale.ROOT), parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static SmtpCommand.Invalid invalid(int code, String status, String text) {
        return new SmtpCommand.Invalid(SmtpReply.of(code, status, text));
    }
}
