package io.runnel.kernel.plugin;

import java.util.function.Function;
import org.pf4j.ExtensionFactory;

/**
 * Creates extensions with their plugin's context: {@code public MySigner(PluginContext context)}, or a public
 * no-arg constructor. Throws {@link PluginLoadException} on failure; never returns null (the pf4j demo
 * factory's catch-log-return-null is what this replaces). A configuration error from the constructor is reported
 * with file, line, plugin id and key.
 */
final class ContextExtensionFactory implements ExtensionFactory {

    private final Function<Class<?>, KernelPluginContext> contextOf;

    /** @param contextOf the context of the plugin that owns a class; throws when there is none */
    ContextExtensionFactory(Function<Class<?>, KernelPluginContext> contextOf) {
        this.contextOf = contextOf;
    }

    @Override
    public <T> T create(Class<T> extensionClass) {
        return Constructors.create(extensionClass, contextOf.apply(extensionClass));
    }
}
