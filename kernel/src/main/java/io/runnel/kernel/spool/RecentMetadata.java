package io.runnel.kernel.spool;

import io.runnel.kernel.message.MessageMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The decoded metadata of the most recently committed writes, so that delivery, which reads a message's metadata
 * right after reception or an attempt wrote it, does not decode the JSON it was just handed. Only the writer thread
 * changes it, after a commit and before the write's future completes; readers never insert what they read, so an
 * entry is always what the spool holds. The oldest entries go first once {@code capacity} is reached.
 */
final class RecentMetadata {
    private final Map<SpoolId, MessageMeta> entries;

    RecentMetadata(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SpoolId, MessageMeta> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<MessageMeta> get(SpoolId id) {
        return Optional.ofNullable(entries.get(id));
    }

    synchronized void committed(MessageMeta meta) {
        entries.remove(meta.id()); // re-inserted as the newest
        entries.put(meta.id(), meta);
    }

    synchronized void removed(SpoolId id) {
        entries.remove(id);
    }
}
