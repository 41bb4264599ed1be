package io.runnel.kernel;

import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestDaemon} for a whole test class, in a temp home of its own: started before the first test, closed and
 * its home deleted after the last. Use as
 * {@code @RegisterExtension static final RunningDaemon daemon = RunningDaemon.with("""...toml...""");}
 */
public final class RunningDaemon implements BeforeAllCallback, AfterAllCallback {

    private final String toml;
    private Path home;
    private TestDaemon daemon;

    private RunningDaemon(String toml) {
        this.toml = toml;
    }

    /** A daemon whose {@code conf/runnel.toml} is {@code toml}, as {@link TestDaemon#start} reads it. */
    public static RunningDaemon with(String toml) {
        return new RunningDaemon(toml);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Files.createTempDirectory("runnel-test-");
        daemon = TestDaemon.start(home, toml);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
        TempFolders.delete(home);
    }

    public Path home() {
        return home;
    }

    public int port() {
        return daemon.port();
    }

    public int port(int listener) {
        return daemon.port(listener);
    }

    public Spool spool() {
        return daemon.spool();
    }

    /** Every spooled message's id, in arrival order. */
    public List<SpoolId> spooledIds() throws Exception {
        return daemon.spooledIds();
    }
}
