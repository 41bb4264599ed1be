package io.runnel.kernel.plugin;

import java.util.function.Function;
import org.pf4j.Plugin;
import org.pf4j.PluginFactory;
import org.pf4j.PluginWrapper;

/**
 * Creates a plugin's {@code Plugin-Class} with its context (a {@code RunnelPlugin}), or with no arguments; a
 * plugin without {@code Plugin-Class} gets a plain {@link Plugin} with no lifecycle. Throws, never returns null.
 */
final class ContextPluginFactory implements PluginFactory {

    private final Function<String, KernelPluginContext> contextOf;

    ContextPluginFactory(Function<String, KernelPluginContext> contextOf) {
        this.contextOf = contextOf;
    }

    @Override
    public Plugin create(PluginWrapper wrapper) {
        String className = wrapper.getDescriptor().getPluginClass();
        if (className == null || className.isBlank() || className.equals(Plugin.class.getName())) {
            return new Plugin();
        }
        Class<?> type;
        try {
            type = wrapper.getPluginClassLoader().loadClass(className);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new PluginLoadException("Plugin-Class " + className + " cannot be loaded: " + e, e);
        }
        if (!Plugin.class.isAssignableFrom(type)) {
            throw new PluginLoadException("Plugin-Class " + className + " does not extend RunnelPlugin");
        }
        return (Plugin) Constructors.create(type, contextOf.apply(wrapper.getPluginId()));
    }
}
