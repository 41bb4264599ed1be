package io.runnel.api.dns;

import java.util.List;

/**
 * The MX answer for one domain.
 *
 * @param records MX records sorted by preference; empty when the domain has none
 * @param nullMx  the domain publishes a null MX (RFC 7505): it accepts no mail at all
 * @since API 1.0
 */
public record MxAnswer(List<MxRecord> records, boolean nullMx) {

    public MxAnswer {
        records = List.copyOf(records);
        if (nullMx && !records.isEmpty()) {
            throw new IllegalArgumentException("a null MX answer carries no records");
        }
    }

    /** One MX record. Host names are lower case, without the trailing dot. */
    public record MxRecord(int preference, String host) {
        public MxRecord {
            if (preference < 0 || preference > 65535) {
                throw new IllegalArgumentException("MX preference out of range: " + preference);
            }
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("MX host is required");
            }
        }
    }
}
