package io.runnel.api.sign;

import io.runnel.api.mail.HeaderField;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * Signs messages at reception (DKIM, ARC): returns header fields the kernel prepends before the message is
 * spooled, so each message is signed once. Called off the event loop, possibly concurrently for different
 * messages; must not keep the request after returning. The kernel calls it through its plugin invoker with a
 * deadline; an exception means "could not sign" and the configured failure action applies.
 *
 * @since API 1.0
 */
public interface MessageSigner extends ExtensionPoint {

    /** Header fields to prepend, in the order they should appear; empty when there is nothing to sign for. */
    List<HeaderField> sign(SigningRequest request) throws Exception;
}
