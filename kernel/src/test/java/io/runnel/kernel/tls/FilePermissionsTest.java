package io.runnel.kernel.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.TestDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool and the generated key material are private to the daemon's user. */
class FilePermissionsTest {

    @TempDir
    Path home;

    @Test
    void theSpoolFolderAndTheSelfSignedKeyAreOwnerOnly() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(home, "[server]\nhostname = \"mx.test.example\"\n")) {
            Path data = home.resolve("data");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("spool")))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("tls")))).isEqualTo("rwx------");
            Path key = data.resolve("tls").resolve("selfsigned-mx.test.example.key");
            assertThat(KeyFiles.openToOthers(key)).isFalse();
        }
    }

    @Test
    void aKeyReadableByOthersIsDetected() throws Exception {
        Path key = Files.writeString(home.resolve("k.pem"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeyFiles.openToOthers(key)).isTrue();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(KeyFiles.openToOthers(key)).isFalse();
    }
}
