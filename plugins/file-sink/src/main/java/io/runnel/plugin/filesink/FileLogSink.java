package io.runnel.plugin.filesink;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.pf4j.Extension;

/**
 * Writes each record's JSON line into the sink's folder (or the tenant's sub-folder), in the order the kernel
 * gives them. Segments rotate by size and age; closed ones are compressed with zstd and aged out by
 * {@link ArchiveRetention}. A batch counts as accepted once written to the OS (or fsynced, with {@code fsync}).
 * Called from one kernel thread.
 */
@Extension
public final class FileLogSink implements LogSink {

    /** Records without a tenant, with {@code per_tenant}. */
    static final String NO_TENANT = "_none";

    private final FileSinkConfig config;
    private final Clock clock;
    private final Compressor compressor;
    private final ArchiveRetention retention;
    private final Map<String, SegmentFolder> folders = new LinkedHashMap<>();
    private boolean recovered;
    private IOException compressionFailure;

    public FileLogSink(PluginContext context) throws PluginConfigException {
        this(FileSinkConfig.read(context), context.clock());
    }

    FileLogSink(FileSinkConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.compressor = new Compressor(config.compressionLevel());
        this.retention = new ArchiveRetention(config, clock);
    }

    @Override
    public synchronized void publish(List<LogEvent> batch) throws IOException {
        if (!recovered) {
            compressLeftovers();
            recovered = true;
        }
        Map<String, List<String>> byFolder = new LinkedHashMap<>();
        for (LogEvent e : batch) {
            String key = config.perTenant() ? e.tenant().map(FileLogSink::folderName).orElse(NO_TENANT) : "";
            byFolder.computeIfAbsent(key, k -> new ArrayList<>()).add(e.json());
        }
        boolean rolled = false;
        for (Map.Entry<String, List<String>> e : byFolder.entrySet()) {
            SegmentFolder folder = folders.computeIfAbsent(e.getKey(), this::folder);
            Path before = folder.currentFile();
            folder.append(e.getValue());
            rolled |= before != null && !before.equals(folder.currentFile());
        }
        if (compressionFailure != null) {
            IOException failure = compressionFailure;
            compressionFailure = null;
            throw failure; // the records are written; the kernel's retry writes them again (at least once)
        }
        if (rolled) {
            retention.run(openFiles());
        }
    }

    /** Closes every open segment (compressing it); for tests and orderly ends. */
    synchronized void closeAll() {
        folders.values().forEach(SegmentFolder::close);
    }

    private SegmentFolder folder(String key) {
        Path path = key.isEmpty() ? config.path() : config.path().resolve(key);
        return new SegmentFolder(path, config, clock, this::closed);
    }

    private void closed(Path segment) {
        if (!config.compress()) {
            return;
        }
        try {
            compressor.compress(segment);
        } catch (IOException e) {
            compressionFailure = e; // the plain segment stays and is compressed on the next start
        }
    }

    /** Segments a previous run left plain (it stopped or crashed before closing them): compressed now. */
    private void compressLeftovers() throws IOException {
        if (!Files.isDirectory(config.path())) {
            return;
        }
        if (config.compress()) {
            try (Stream<Path> files = Files.walk(config.path())) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(SegmentFolder.SUFFIX)).toList()) {
                    compressor.compress(f);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        retention.run(Set.of());
    }

    private Set<Path> openFiles() {
        Set<Path> open = new HashSet<>();
        folders.values().forEach(f -> {
            if (f.currentFile() != null) {
                open.add(f.currentFile());
            }
        });
        return open;
    }

    /** A tenant name as a single safe folder name. */
    static String folderName(String tenant) {
        String safe = tenant.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }
}
