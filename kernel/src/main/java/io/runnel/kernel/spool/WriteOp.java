package io.runnel.kernel.spool;

import io.netty.buffer.ByteBuf;
import io.runnel.kernel.message.MessageMeta;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.lmdbjava.Txn;

/**
 * One queued write and the future its caller waits on. Only the writer thread calls {@link #apply}; each op ends
 * with exactly one of {@link #succeed()} or {@link #fail(Throwable)}, which release what the op holds.
 */
abstract sealed class WriteOp permits WriteOp.Store, WriteOp.UpdateMeta, WriteOp.Remove, WriteOp.EndOfQueue {

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Writes this op into {@code txn}. Throws {@link IllegalStateException} before writing anything when the op
     * must be refused on its own; any other exception leaves the transaction unusable.
     */
    abstract void apply(LmdbTables tables, Txn<ByteBuffer> txn, ByteBuffer key);

    /** Runs on the writer thread after the op's transaction committed, before its future completes. */
    abstract void committed(RecentMetadata recent);

    /** True for an op that adds a new message (counted in {@link SpoolStats#messagesStored()}). */
    boolean storesNewMessage() {
        return false;
    }

    final void succeed() {
        releaseResources();
        done.complete(null);
    }

    final void fail(Throwable cause) {
        releaseResources();
        done.completeExceptionally(cause);
    }

    void releaseResources() {
    }

    /** A new message: metadata and body, both reserved in the map so each is copied exactly once. */
    static final class Store extends WriteOp {
        private final MessageMeta decoded;
        private final SpoolId id;
        private final byte[] meta;
        private ByteBuf body;

        Store(MessageMeta decoded, byte[] meta, ByteBuf body) {
            this.decoded = Objects.requireNonNull(decoded, "decoded");
            this.id = decoded.id();
            this.meta = Objects.requireNonNull(meta, "meta");
            this.body = Objects.requireNonNull(body, "body");
        }

        @Override
        void apply(LmdbTables tables, Txn<ByteBuffer> txn, ByteBuffer key) {
            id.writeKey(key);
            if (tables.meta().get(txn, key) != null) {
                // ids come from SpoolId.Factory and never repeat: overwriting would silently lose a message
                throw new IllegalStateException("spool id already stored: " + id);
            }
            tables.meta().reserve(txn, key, meta.length).put(meta);
            ByteBuffer target = tables.data().reserve(txn, key, body.readableBytes());
            body.getBytes(body.readerIndex(), target);
        }

        @Override
        void committed(RecentMetadata recent) {
            recent.committed(decoded);
        }

        @Override
        boolean storesNewMessage() {
            return true;
        }

        @Override
        void releaseResources() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    /** New metadata for a stored message; a message removed meanwhile is left alone. */
    static final class UpdateMeta extends WriteOp {
        private final MessageMeta decoded;
        private final byte[] meta;
        private boolean written;

        UpdateMeta(MessageMeta decoded, byte[] meta) {
            this.decoded = Objects.requireNonNull(decoded, "decoded");
            this.meta = Objects.requireNonNull(meta, "meta");
        }

        @Override
        void apply(LmdbTables tables, Txn<ByteBuffer> txn, ByteBuffer key) {
            decoded.id().writeKey(key);
            // writing meta for a removed message would leave a body-less entry that forEach reports as corrupt
            written = tables.meta().get(txn, key) != null;
            if (written) {
                tables.meta().reserve(txn, key, meta.length).put(meta);
            }
        }

        @Override
        void committed(RecentMetadata recent) {
            if (written) {
                recent.committed(decoded);
            }
        }
    }

    /** Deletes metadata and body; nothing to do when the message is not there. */
    static final class Remove extends WriteOp {
        private final SpoolId id;

        Remove(SpoolId id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        @Override
        void apply(LmdbTables tables, Txn<ByteBuffer> txn, ByteBuffer key) {
            id.writeKey(key);
            tables.meta().delete(txn, key);
            tables.data().delete(txn, key);
        }

        @Override
        void committed(RecentMetadata recent) {
            recent.removed(id);
        }
    }

    /** Queued last by stop(): the writer finishes everything before it, then exits. */
    static final class EndOfQueue extends WriteOp {
        @Override
        void apply(LmdbTables tables, Txn<ByteBuffer> txn, ByteBuffer key) {
            throw new IllegalStateException("end of queue is not a write");
        }

        @Override
        void committed(RecentMetadata recent) {
        }
    }
}
