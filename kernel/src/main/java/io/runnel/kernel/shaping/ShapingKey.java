package io.runnel.kernel.shaping;

import java.util.Objects;
import java.util.function.Function;

/**
 * One key of a shaping block ({@code connection_limit}, {@code max_message_rate}, ...) and how its TOML value
 * becomes a typed one. The same parser reads the files and the values automation rules set at run time.
 *
 * @param name   the key as written in shaping.toml (KumoMTA's name)
 * @param parser raw TOML value (String, Long, Boolean, Double or a tomlj table) to value; throws
 *               {@link IllegalArgumentException} with a message a config error can show
 */
public record ShapingKey<T>(String name, Function<Object, T> parser) {

    public ShapingKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
    }

    public T parse(Object raw) {
        return parser.apply(raw);
    }
}
