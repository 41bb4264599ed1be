package io.runnel.kernel.spool;

import io.netty.buffer.ByteBuf;
import io.runnel.kernel.message.MessageMeta;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable message storage. Metadata and body are stored apart, so delivery state changes never rewrite a body.
 * Writes are queued to one writer thread that commits them in batches (group commit); a write's future
 * completes only after its batch is committed and, per the configured sync mode, on disk.
 * Futures complete exceptionally with a {@link SpoolException}.
 */
public interface Spool {

    /**
     * Stores a new message. Takes ownership of {@code body} and releases it once written (or refused).
     * The future completes after the commit, never before.
     */
    CompletableFuture<Void> store(MessageMeta meta, ByteBuf body);

    /**
     * Replaces the metadata of a stored message (delivery state, due time); the body stays untouched. Completes
     * normally without writing anything if the message is no longer stored.
     */
    CompletableFuture<Void> updateMeta(MessageMeta meta);

    /** Removes a message, metadata and body, in one transaction. Completes normally if it was not there. */
    CompletableFuture<Void> remove(SpoolId id);

    /** Reads a message's metadata in a short read transaction. */
    Optional<MessageMeta> loadMeta(SpoolId id) throws SpoolException;

    /** Reads a copy of a message's body in a short read transaction. */
    Optional<byte[]> loadBody(SpoolId id) throws SpoolException;

    /**
     * Calls {@code consumer} for the metadata of every stored message, in id (arrival) order. Used at start to
     * hand spooled messages back to the queues. Entries that cannot be decoded are reported with
     * {@link SpoolException.CorruptEntry} to {@code corrupt} and skipped.
     */
    void forEach(Consumer<MessageMeta> consumer, Consumer<SpoolException.CorruptEntry> corrupt) throws SpoolException;

    /** {@link #forEach} over the messages up to and including {@code last} only (ids grow with arrival). */
    void forEachThrough(SpoolId last, Consumer<MessageMeta> consumer, Consumer<SpoolException.CorruptEntry> corrupt)
            throws SpoolException;

    /** The newest stored message's id, in a short read transaction; empty when the spool holds none. */
    Optional<SpoolId> lastId() throws SpoolException;

    /** Counters since the spool was opened. Cheap: no I/O. */
    SpoolStats stats();
}
