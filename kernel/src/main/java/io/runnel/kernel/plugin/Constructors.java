package io.runnel.kernel.plugin;

import io.runnel.api.plugin.PluginConfigException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/** Builds plugin-provided objects: the (PluginContext) constructor if there is one, else the no-arg one. */
final class Constructors {

    private Constructors() {
    }

    static <T> T create(Class<T> type, KernelPluginContext context) {
        try {
            Constructor<T> withContext = find(type, true);
            if (withContext != null) {
                return withContext.newInstance(context);
            }
            Constructor<T> noArgs = find(type, false);
            if (noArgs == null) {
                throw new PluginLoadException(type.getName() + " needs a public constructor taking PluginContext, or none");
            }
            return noArgs.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PluginConfigException config) {
                throw new PluginLoadException(context.describe(config), config);
            }
            throw new PluginLoadException(type.getName() + " constructor failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new PluginLoadException("cannot create " + type.getName() + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> Constructor<T> find(Class<T> type, boolean withContext) {
        for (Constructor<?> c : type.getConstructors()) {
            Class<?>[] params = c.getParameterTypes();
            if (withContext ? params.length == 1 && params[0] == io.runnel.api.plugin.PluginContext.class : params.length == 0) {
                return (Constructor<T>) c;
            }
        }
        return null;
    }
}
