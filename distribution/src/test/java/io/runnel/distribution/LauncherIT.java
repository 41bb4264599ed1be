package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled tree as a user gets it: its shipped configuration loads, bad configuration is named clearly. */
class LauncherIT {

    @TempDir
    Path work;

    @Test
    void shippedConfigurationIsValid() throws Exception {
        Path output = work.resolve("out.txt");
        int exit = RunnelProcess.runToCompletion(RunnelProcess.dist(), output, "check-config");
        assertThat(exit).as(Files.readString(output)).isZero();
        assertThat(Files.readString(output)).contains("configuration ok").contains("127.0.0.1:2525");
    }

    @Test
    void unknownKeyStopsTheStartNamingFileLineAndKey() throws Exception {
        Files.createDirectories(work.resolve("conf"));
        Files.writeString(work.resolve("conf/runnel.toml"), "[spool]\nsync = \"full\"\nmap_sise = \"1GiB\"\n");
        Path output = work.resolve("out.txt");
        int exit = RunnelProcess.runToCompletion(work, output);
        assertThat(exit).isEqualTo(78);
        assertThat(Files.readString(output)).contains("runnel.toml:3").contains("spool.map_sise").contains("unknown key");
    }

    @Test
    void hashPasswordPrintsABcryptHash() throws Exception {
        Path output = work.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(RunnelProcess.dist().resolve("bin/runnel").toString(), "hash-password", "--cost", "4");
        builder.redirectOutput(output.toFile());
        Process p = builder.start();
        p.getOutputStream().write("s3cret\n".getBytes());
        p.getOutputStream().close();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(output).strip()).matches("\\$2y\\$04\\$[./A-Za-z0-9]{53}");
    }
}
