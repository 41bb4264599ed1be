package io.runnel.kernel.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Private key files should be readable by their owner only; the daemon warns at start when one is not. */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private KeyFiles() {
    }

    /** True when the group or others may read or write {@code key} (false where POSIX permissions do not exist). */
    public static boolean openToOthers(Path key) throws IOException {
        try {
            return Files.getPosixFilePermissions(key).stream().anyMatch(OTHERS::contains);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Logs a warning naming {@code key} when others may read it; a file that cannot be read is left to the TLS setup. */
    static void warnIfOpen(Path key) {
        try {
            if (openToOthers(key)) {
                log.atWarn().addKeyValue("file", key)
                        .log("private key {} is readable by group or others; run chmod 600 on it", key);
            }
        } catch (IOException e) {
            // the context build that follows names the unreadable file
        }
    }
}
