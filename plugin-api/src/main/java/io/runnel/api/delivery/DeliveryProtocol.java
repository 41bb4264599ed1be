package io.runnel.api.delivery;

import io.runnel.api.Experimental;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.pf4j.ExtensionPoint;

/**
 * Delivers messages by something other than SMTP (an HTTP API, LMTP to a local store). Experimental: the shape
 * may change in a minor release. {@link #deliver} is called from a kernel thread and must not block it: return a
 * stage and complete it from the protocol's own threads. It may be called concurrently.
 *
 * @since API 1.0
 */
@Experimental
public interface DeliveryProtocol extends ExtensionPoint {

    /** The protocol name routes refer to, e.g. {@code "lmtp"}; constant for the life of the extension. */
    String name();

    /**
     * Delivers one message. The stage completes with a reply for each recipient of the request (2xx delivered, 4xx
     * retry later, 5xx bounce); a recipient missing from the map is retried later, as is every recipient when the
     * stage completes exceptionally.
     */
    CompletionStage<Map<EmailAddress, SmtpReply>> deliver(DeliveryRequest request);
}
