package io.runnel.kernel.cli;

import io.runnel.kernel.config.RunnelConfig;
import java.nio.file.Path;

/** Where the running daemon writes its process id ({@code <data_dir>/runnel.pid}), for {@code runnel reload}. */
final class PidFile {

    private PidFile() {
    }

    static Path of(RunnelConfig config) {
        return config.server().dataDir().resolve("runnel.pid");
    }

    /** The reloader's last report, {@code <data_dir>/last-reload.txt}. */
    static Path report(RunnelConfig config) {
        return config.server().dataDir().resolve("last-reload.txt");
    }
}
