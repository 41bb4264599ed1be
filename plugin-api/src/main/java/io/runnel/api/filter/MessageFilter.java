package io.runnel.api.filter;

import io.runnel.api.mail.MessageView;
import org.pf4j.ExtensionPoint;

/**
 * Inspects a fully received message before it is spooled and decides whether to take it (milter / Postfix policy
 * service). Called off the event loop, possibly concurrently for different messages, so an implementation must be
 * thread-safe; it must not keep {@code message} after returning. The kernel calls it with a deadline; an exception
 * or a missed deadline applies the configured failure action (by default a 451 4.3.5 temporary failure).
 *
 * @since API 1.0
 */
public interface MessageFilter extends ExtensionPoint {

    Verdict filter(FilterContext context, MessageView message) throws Exception;
}
