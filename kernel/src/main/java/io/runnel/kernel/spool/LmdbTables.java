package io.runnel.kernel.spool;

import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.tls.PrivateFolders;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;

/**
 * The open LMDB environment and its two tables: metadata and bodies are kept apart so delivery state changes
 * never touch a body (KumoMTA meta/data spools). Both are keyed by the 16 {@link SpoolId} key bytes.
 */
record LmdbTables(Env<ByteBuffer> env, Dbi<ByteBuffer> meta, Dbi<ByteBuffer> data) {

    LmdbTables {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(data, "data");
    }

    /** Creates the folder if needed and opens (or creates) the environment. */
    static LmdbTables open(SpoolConfig config) throws IOException {
        PrivateFolders.create(config.path()); // messages are other people's mail: owner only
        Env<ByteBuffer> env = Env.create()
                .setMapSize(config.mapSize())
                .setMaxDbs(2)
                .setMaxReaders(config.maxReaders())
                .open(config.path().toFile(), flags(config.sync()));
        try {
            return new LmdbTables(env, env.openDbi("meta", DbiFlags.MDB_CREATE), env.openDbi("data", DbiFlags.MDB_CREATE));
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    /**
     * MDB_NOTLS ties reader slots to transactions instead of threads: reads come from event loops and pools,
     * and a slot per thread that ever read would exhaust max_readers (lmdbjava #65).
     */
    static EnvFlags[] flags(SpoolConfig.SyncMode sync) {
        switch (sync) {
            case FULL:
                return new EnvFlags[] {EnvFlags.MDB_NOTLS};
            case NOMETASYNC:
                return new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOMETASYNC};
            case NONE:
                return new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC};
            default:
                throw new IllegalStateException("unhandled sync mode " + sync);
        }
    }

    static ByteBuffer newKeyBuffer() {
        return ByteBuffer.allocateDirect(SpoolId.KEY_BYTES);
    }
}
