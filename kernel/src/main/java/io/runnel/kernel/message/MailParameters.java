package io.runnel.kernel.message;

import java.util.Objects;
import java.util.Optional;

/**
 * The MAIL FROM parameters that stay with a message.
 *
 * @param body     BODY= (RFC 6152); 7BIT when absent
 * @param smtpUtf8 SMTPUTF8 was given (RFC 6531)
 * @param ret      RET= (RFC 3461), when given
 * @param envelopeId ENVID= (RFC 3461), xtext-decoded, when given
 */
public record MailParameters(BodyType body, boolean smtpUtf8, Optional<DsnReturn> ret, Optional<String> envelopeId) {

    public MailParameters {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(ret, "ret");
        Objects.requireNonNull(envelopeId, "envelopeId");
    }

    public enum BodyType { SEVEN_BIT, EIGHT_BIT_MIME }

    public enum DsnReturn { FULL, HDRS }
}
