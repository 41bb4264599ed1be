package io.runnel.kernel.ingest;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.smtp.SmtpReply;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What scanning decided for one message.
 *
 * @param refusal the reply refusing the message (virus, spam, scanner unavailable), or empty to accept it
 * @param headers header fields to add when accepting (X-Spam-*, X-Virus-Found, X-Runnel-Not-Scanned)
 * @param facts   what the scanners found, for the Reception or Rejection record ({@code meta})
 */
record ScanReport(Optional<SmtpReply> refusal, List<HeaderField> headers, Map<String, String> facts) {

    static final ScanReport NOTHING = new ScanReport(Optional.empty(), List.of(), Map.of());

    ScanReport {
        Objects.requireNonNull(refusal, "refusal");
        headers = List.copyOf(headers);
        facts = Map.copyOf(facts);
    }
}
