package io.runnel.kernel.cli;

import io.runnel.kernel.config.ConfigReloader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration ({@code kill -HUP <pid>}, or {@code runnel reload}). Uses {@code sun.misc.Signal}
 * (module jdk.unsupported): the JDK has no supported API for signals. The reload runs on its own thread so the
 * signal dispatcher is never held up by a slow compile.
 */
final class ReloadSignal {

    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(ConfigReloader reloader) {
        SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
            Thread reload = new Thread(() -> {
                log.info("SIGHUP: reloading the configuration");
                reloader.reload();
            }, "reload-signal");
            reload.setDaemon(true);
            reload.start();
        });
        if (before == SignalHandler.SIG_IGN) {
            // a JVM started with SIGHUP ignored (nohup, some supervisors) keeps ignoring it: the handler is not installed
            log.warn("SIGHUP is ignored by this process (started under nohup?): kill -HUP and `runnel reload` cannot reach"
                    + " it; edits under conf/ and rules/ still reload by themselves");
        }
    }
}
