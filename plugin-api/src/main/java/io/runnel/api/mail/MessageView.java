package io.runnel.api.mail;

import java.io.InputStream;
import java.util.List;

/**
 * A read-only view of a message being received: its header fields in order and a stream over its body. The body
 * is not copied for the view; a plugin must not keep the view or the stream after its call returns.
 *
 * @since API 1.0
 */
public interface MessageView {

    /** The header fields in message order, each byte-exact. */
    List<HeaderField> headers();

    /** A new stream over the body: the bytes after the blank line that ends the header block (may be empty). */
    InputStream openBody();

    /** The body's length in octets. */
    long bodySize();
}
