package io.runnel.kernel.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Folders that hold mail or key material are made readable by their owner only (0700). */
public final class PrivateFolders {

    private PrivateFolders() {
    }

    /** Creates {@code folder} (and missing parents) with mode 0700; an existing folder is left as the operator set it. */
    public static void create(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Files.createDirectories(folder);
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        }
    }
}
