package io.runnel.kernel.plugin;

/**
 * A plugin or extension instance could not be created: thrown by the factories (never a null return, unlike the
 * pf4j demo factory), turned into a {@link PluginResult.Failed} by {@link PluginInvoker}.
 */
public final class PluginLoadException extends RuntimeException {

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginLoadException(String message) {
        super(message);
    }
}
