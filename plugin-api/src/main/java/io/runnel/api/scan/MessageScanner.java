package io.runnel.api.scan;

import io.runnel.api.mail.MessageView;
import org.pf4j.ExtensionPoint;

/**
 * Scans a received message for malware or spam (clamd, rspamd) and reports what it found; what to do about it is
 * decided by the kernel's rules. Called off the event loop, possibly concurrently; must be thread-safe and must not
 * keep {@code message} after returning. Called with a deadline; an exception or a missed deadline applies the
 * configured failure action.
 *
 * @since API 1.0
 */
public interface MessageScanner extends ExtensionPoint {

    ScanResult scan(MessageView message) throws Exception;
}
