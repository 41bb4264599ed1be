package io.runnel.kernel.cli;

import io.runnel.kernel.config.ConfigException;
import io.runnel.kernel.config.ConfigFile;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel}: the daemon's command line. Without a subcommand it runs the daemon. */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runnel mail transfer agent.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, HashPasswordCommand.class, SpoolCommand.class,
                ReloadCommand.class})
public final class RunnelCommand implements Callable<Integer> {

    /** Exit code for a configuration that cannot be used. */
    static final int CONFIG_ERROR = 78; // EX_CONFIG of sysexits.h

    @Option(names = "--home", description = "Runnel home: holds conf/, data/ and plugins/. Default: $RUNNEL_HOME, else the current folder.")
    Optional<Path> home;

    @Option(names = {"-c", "--config"}, description = "Configuration file. Default: <home>/conf/runnel.toml.")
    Optional<Path> config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RunnelCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return new RunCommand(this).call();
    }

    Path home() {
        return home.or(() -> Optional.ofNullable(System.getenv("RUNNEL_HOME")).filter(s -> !s.isBlank()).map(Path::of))
                .orElse(Path.of("")).toAbsolutePath().normalize();
    }

    /** The configuration, or empty after telling the user on stderr why it cannot be used. */
    Optional<RunnelConfig> configOrReport() {
        try {
            return Optional.of(loadConfig());
        } catch (ConfigException e) {
            System.err.println("runnel: configuration error: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Loads the configuration; a missing default file means the built-in defaults. */
    RunnelConfig loadConfig() throws ConfigException {
        Path home = home();
        ConfigLoader loader = new ConfigLoader(home);
        Path file = configFile().path();
        if (config.isEmpty() && !Files.exists(file)) {
            return loader.defaults(file);
        }
        return loader.load(file);
    }

    /** The configuration file: {@code --config}, else {@code <home>/conf/runnel.toml}. */
    ConfigFile configFile() {
        return config.map(ConfigFile::new).orElseGet(() -> ConfigFile.standard(home()));
    }
}
