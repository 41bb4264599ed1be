package io.runnel.api.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
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

    /** The whole message's length: every header field, the blank line ending the header block, the body. */
    default long size() {
        long size = 2 + bodySize();
        for (HeaderField header : headers()) {
            size += header.raw().length;
        }
        return size;
    }

    /**
     * A new stream over the whole message as a scanner sends it on: every header field byte-exact, CRLF, the body.
     * Only the header fields are copied.
     */
    default InputStream openMessage() {
        ByteArrayOutputStream head = new ByteArrayOutputStream(2048);
        for (HeaderField header : headers()) {
            head.writeBytes(header.raw());
        }
        head.writeBytes(new byte[] {'\r', '\n'});
        return new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), openBody());
    }
}
