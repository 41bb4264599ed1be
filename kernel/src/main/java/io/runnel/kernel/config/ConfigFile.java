package io.runnel.kernel.config;

import java.util.Objects;
import java.nio.file.Path;

/**
 * The configuration file the daemon was started with; a reload reads it again. When it does not exist, the
 * built-in defaults apply (as at start).
 */
public record ConfigFile(Path path) {
    public ConfigFile {
        Objects.requireNonNull(path, "path");
    }

    /** {@code <home>/conf/runnel.toml}. */
    public static ConfigFile standard(Path home) {
        return new ConfigFile(home.resolve("conf").resolve("runnel.toml"));
    }

    public RunnelConfig load(Path home) throws ConfigException {
        ConfigLoader loader = new ConfigLoader(home);
        return java.nio.file.Files.exists(path) ? loader.load(path) : loader.defaults(path);
    }
}
