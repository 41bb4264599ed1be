package io.runnel.kernel.grpc;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the metadata of an InjectRequest before anything is stored. It lands in the spool entry and in the
 * {@code meta} object of every log record of the message, so it is bounded: a client bug must not bloat every
 * record. {@code tenant} and {@code campaign} are refused because the request has fields for them and the records
 * already carry them under those names.
 */
final class InjectedMetadata {
    static final int MAX_ENTRIES = 32;
    static final int MAX_KEY_LENGTH = 64;
    /** Keys and values together, in UTF-8 octets. */
    static final int MAX_TOTAL_OCTETS = 4096;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Set<String> RESERVED = Set.of("tenant", "campaign");

    private InjectedMetadata() {
    }

    /** The metadata in the order received; an INVALID_ARGUMENT status naming the first offending key otherwise. */
    static Map<String, String> validated(Map<String, String> metadata) {
        if (metadata.size() > MAX_ENTRIES) {
            throw GrpcErrors.invalid("metadata: " + metadata.size() + " entries, at most " + MAX_ENTRIES + " allowed");
        }
        long octets = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
                throw GrpcErrors.invalid("metadata key \"" + abbreviated(key) + "\": 1 to " + MAX_KEY_LENGTH
                        + " characters of A-Z a-z 0-9 _ . - expected");
            }
            if (RESERVED.contains(key)) {
                throw GrpcErrors.invalid("metadata key \"" + key + "\" is reserved: set the request's " + key + " field");
            }
            octets += key.length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (octets > MAX_TOTAL_OCTETS) {
            throw GrpcErrors.invalid("metadata: " + octets + " octets of keys and values, at most " + MAX_TOTAL_OCTETS
                    + " allowed");
        }
        return new LinkedHashMap<>(metadata);
    }

    private static String abbreviated(String key) {
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) + "..." : key;
    }
}
