package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Chooses the header fields a signature covers (RFC 6376 5.4, 5.4.2). */
final class HeaderSelector {

    private HeaderSelector() {
    }

    /**
     * The {@code h=} list for this message: each configured name once per occurrence, plus once more when
     * over-signing, so a verifier finds an empty instance where someone might add another field. Names that do not
     * occur are listed only when over-signing (which then pins them as absent).
     */
    static List<String> signedNames(List<HeaderField> headers, List<String> configured, boolean overSign) {
        Map<String, Integer> occurrences = new HashMap<>(); // one pass over the fields, not one per configured name
        for (HeaderField h : headers) {
            occurrences.merge(h.name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<String> names = new ArrayList<>();
        for (String name : configured) {
            int count = occurrences.getOrDefault(name.toLowerCase(Locale.ROOT), 0);
            for (int i = 0; i < count + (overSign ? 1 : 0); i++) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The fields {@code h=} refers to, in {@code h=} order: repeated names take instances from the bottom up, and a
     * name with no instance left contributes nothing.
     */
    static List<HeaderField> fieldsFor(List<HeaderField> headers, List<String> signedNames) {
        boolean[] used = new boolean[headers.size()];
        List<HeaderField> fields = new ArrayList<>(signedNames.size());
        for (String name : signedNames) {
            for (int i = headers.size() - 1; i >= 0; i--) {
                if (!used[i] && headers.get(i).hasName(name)) {
                    used[i] = true;
                    fields.add(headers.get(i));
                    break;
                }
            }
        }
        return fields;
    }
}
