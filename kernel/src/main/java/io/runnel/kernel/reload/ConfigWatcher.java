package io.runnel.kernel.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches folders (conf/, rules/) and calls {@code onChange} once things have been quiet for {@code debounce}
 * after a change: an editor's save (write temp, rename, touch) or a deploy copying many files becomes one reload.
 * Folders that do not exist are not watched.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService service;
    private final Thread thread;

    private ConfigWatcher(WatchService service, Duration debounce, Runnable onChange) {
        this.service = service;
        this.thread = new Thread(() -> loop(debounce, onChange), "config-watch");
        this.thread.setDaemon(true);
    }

    static ConfigWatcher start(List<Path> folders, Duration debounce, Runnable onChange) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        for (Path folder : folders.stream().distinct().toList()) {
            if (Files.isDirectory(folder)) {
                folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
        ConfigWatcher watcher = new ConfigWatcher(service, debounce, onChange);
        watcher.thread.start();
        return watcher;
    }

    private void loop(Duration debounce, Runnable onChange) {
        try {
            while (true) {
                drain(service.take());
                WatchKey more;
                while ((more = service.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    log.atError().setCause(e).log("reload after a file change failed");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the daemon is stopping
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            log.atDebug().setCause(e).log("watch service close");
        }
        thread.interrupt();
    }
}
