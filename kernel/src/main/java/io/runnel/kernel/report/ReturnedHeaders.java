package io.runnel.kernel.report;

import io.runnel.kernel.spool.SpoolId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header fields of the original message as a bounce or feedback report returns them (a {@code message/rfc822}
 * or {@code text/rfc822-headers} part, or the copy after a plain-text notice): what ties the report back to what we
 * sent. Only the header section is read; unfolded; the first occurrence of a field wins.
 *
 * @param fields  lower-case field name to unfolded value
 * @param spoolId our spool id, from the Received field Runnel added at reception ("(Runnel) with ESMTP id ..."),
 *                when the copy still has it
 */
public record ReturnedHeaders(Map<String, String> fields, Optional<SpoolId> spoolId) {

    public static final ReturnedHeaders NONE = new ReturnedHeaders(Map.of(), Optional.empty());

    private static final Pattern OUR_RECEIVED = Pattern.compile("\\(Runnel\\) with [A-Z]+ id ([0-9a-f]{32})");
    private static final Pattern FIELD = Pattern.compile("^([!-9;-~]+)[ \\t]*:(.*)$");

    public ReturnedHeaders {
        fields = Map.copyOf(fields);
    }

    /** Reads the header section at the start of {@code text} (leading blank lines skipped). */
    public static ReturnedHeaders parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        Optional<SpoolId> spoolId = Optional.empty();
        String name = null;
        StringBuilder value = new StringBuilder();
        boolean started = false;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (started) {
                    break;
                }
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            Matcher m = FIELD.matcher(line);
            if (!m.matches()) {
                if (started) {
                    break; // the body started without a blank line
                }
                continue;   // a stray line before the headers ("--- below this line ..." for example)
            }
            if (spoolId.isEmpty()) {
                spoolId = ourId(name, value);
            }
            store(fields, name, value);
            started = true;
            name = m.group(1).toLowerCase(Locale.ROOT);
            value.setLength(0);
            value.append(m.group(2).strip());
        }
        if (spoolId.isEmpty()) {
            spoolId = ourId(name, value);
        }
        store(fields, name, value);
        return new ReturnedHeaders(fields, spoolId);
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field.toLowerCase(Locale.ROOT))).filter(v -> !v.isEmpty());
    }

    /** The fields of {@code names} that are present, under the names as given (for a record's {@code headers}). */
    public Map<String, String> select(List<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            get(n).ifPresent(v -> out.put(n, v));
        }
        return out;
    }

    private static void store(Map<String, String> fields, String name, StringBuilder value) {
        if (name != null) {
            fields.putIfAbsent(name, value.toString());
        }
    }

    private static Optional<SpoolId> ourId(String name, StringBuilder value) {
        if (!"received".equals(name)) {
            return Optional.empty();
        }
        Matcher m = OUR_RECEIVED.matcher(value);
        return m.find() ? Optional.of(SpoolId.parse(m.group(1))) : Optional.empty();
    }
}
