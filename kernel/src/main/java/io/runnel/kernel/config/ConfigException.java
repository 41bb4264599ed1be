package io.runnel.kernel.config;

import java.nio.file.Path;
import java.util.Optional;

/** A configuration file that cannot be used, with where and why: {@code conf/runnel.toml:12: listener[0].bind: ...}. */
public final class ConfigException extends Exception {

    private final Path file;
    private final Optional<Integer> line;
    private final String key;
    private final String reason;

    public ConfigException(Path file, Optional<Integer> line, String key, String reason) {
        super(file + line.map(l -> ":" + l).orElse("") + (key.isEmpty() ? "" : ": " + key) + ": " + reason);
        this.file = file;
        this.line = line;
        this.key = key;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public Optional<Integer> line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
