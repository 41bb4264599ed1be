package io.runnel.plugin.filesink;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Turns a closed {@code x.jsonl} into {@code x.jsonl.zst}: written to a temp name, renamed when complete, then the
 * original deleted, so a crash leaves the plain file (compressed again on the next start) and never a torn one.
 */
final class Compressor {

    static final String SUFFIX = ".zst";

    private final int level;

    Compressor(int level) {
        this.level = level;
    }

    Path compress(Path plain) throws IOException {
        Path target = plain.resolveSibling(plain.getFileName() + SUFFIX);
        Path temp = plain.resolveSibling(plain.getFileName() + SUFFIX + ".tmp");
        try (InputStream in = Files.newInputStream(plain);
             OutputStream out = new ZstdOutputStream(Files.newOutputStream(temp), level)) {
            in.transferTo(out);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(plain);
        return target;
    }
}
