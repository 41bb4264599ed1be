package io.runnel.kernel.config;

import java.nio.file.Path;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * The text of a TOML configuration file, parsed: a syntax error becomes a {@link ConfigException} naming the file and
 * line, whether tomlj lists it in the result or throws it (it throws some, such as a bad escape in a quoted table
 * name, found by ConfigLoaderFuzzTest).
 */
public final class TomlText {

    private TomlText() {
    }

    public static TomlParseResult parse(Path file, String text) throws ConfigException {
        TomlParseResult toml;
        try {
            toml = Toml.parse(text);
        } catch (TomlParseError e) {
            throw error(file, e);
        }
        if (toml.hasErrors()) {
            throw error(file, toml.errors().get(0));
        }
        return toml;
    }

    private static ConfigException error(Path file, TomlParseError e) {
        return new ConfigException(file, Optional.ofNullable(e.position()).map(TomlPosition::line), "", e.getMessage());
    }
}
