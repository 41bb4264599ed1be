package io.runnel.kernel.spool;

import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lmdbjava.Cursor;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/**
 * Reads in short read transactions. LMDB memory is valid only inside the transaction, so every value is copied
 * out before it closes, and no transaction outlives a call (C10).
 */
final class SpoolReader {
    private final LmdbTables tables;
    private final MessageMetaCodec codec;
    /** lmdbjava needs direct buffers for keys; one per reading thread avoids allocating one per read. */
    private final ThreadLocal<ByteBuffer> keyBuffer = ThreadLocal.withInitial(LmdbTables::newKeyBuffer);

    SpoolReader(LmdbTables tables, MessageMetaCodec codec) {
        this.tables = tables;
        this.codec = codec;
    }

    Optional<MessageMeta> loadMeta(SpoolId id) throws CorruptEntry {
        byte[] bytes;
        try (Txn<ByteBuffer> txn = tables.env().txnRead()) {
            ByteBuffer value = tables.meta().get(txn, id.writeKey(keyBuffer.get()));
            if (value == null) {
                return Optional.empty();
            }
            bytes = copy(value);
        }
        return Optional.of(codec.decode(id, bytes));
    }

    Optional<byte[]> loadBody(SpoolId id) {
        try (Txn<ByteBuffer> txn = tables.env().txnRead()) {
            ByteBuffer value = tables.data().get(txn, id.writeKey(keyBuffer.get()));
            return value == null ? Optional.empty() : Optional.of(copy(value));
        }
    }

    Optional<SpoolId> lastId() {
        try (Txn<ByteBuffer> txn = tables.env().txnRead(); Cursor<ByteBuffer> cursor = tables.meta().openCursor(txn)) {
            return cursor.last() ? Optional.of(SpoolId.fromKey(cursor.key().duplicate())) : Optional.empty();
        }
    }

    /**
     * Reads up to {@code limit} entries in key order, starting after {@code after} (or at the first key), in one
     * read transaction. Decoding happens after the transaction has closed.
     */
    Page page(Optional<SpoolId> after, int limit) {
        List<SpoolId> ids = new ArrayList<>(limit);
        List<byte[]> metas = new ArrayList<>(limit);
        List<Boolean> hasBody = new ArrayList<>(limit);
        ByteBuffer start = LmdbTables.newKeyBuffer();
        ByteBuffer lookup = LmdbTables.newKeyBuffer();
        KeyRange<ByteBuffer> range = after.isPresent() ? KeyRange.greaterThan(after.get().writeKey(start)) : KeyRange.all();
        try (Txn<ByteBuffer> txn = tables.env().txnRead();
             CursorIterable<ByteBuffer> entries = tables.meta().iterate(txn, range)) {
            for (CursorIterable.KeyVal<ByteBuffer> entry : entries) {
                SpoolId id = SpoolId.fromKey(entry.key().duplicate());
                ids.add(id);
                metas.add(copy(entry.val()));
                hasBody.add(tables.data().get(txn, id.writeKey(lookup)) != null);
                if (ids.size() == limit) {
                    break;
                }
            }
        }
        List<Entry> decoded = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            decoded.add(decode(ids.get(i), metas.get(i), hasBody.get(i)));
        }
        return new Page(decoded, ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1)));
    }

    private Entry decode(SpoolId id, byte[] meta, boolean hasBody) {
        if (!hasBody) {
            return new Entry.Corrupt(new CorruptEntry(id, "body missing", null));
        }
        try {
            return new Entry.Found(codec.decode(id, meta));
        } catch (CorruptEntry e) {
            return new Entry.Corrupt(e);
        }
    }

    private static byte[] copy(ByteBuffer value) {
        byte[] out = new byte[value.remaining()];
        value.duplicate().get(out);
        return out;
    }

    /** One page of a scan: entries in key order, and the last key read (empty when the scan is done). */
    record Page(List<Entry> entries, Optional<SpoolId> lastKey) {
        Page {
            entries = List.copyOf(entries);
        }
    }

    /** A scanned entry: usable metadata, or why it is not usable. */
    sealed interface Entry {
        record Found(MessageMeta meta) implements Entry {
        }

        record Corrupt(CorruptEntry error) implements Entry {
        }
    }
}
