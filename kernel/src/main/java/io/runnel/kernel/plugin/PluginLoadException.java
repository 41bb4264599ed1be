package io.runnel.kernel.plugin;

/**
 * A plugin or extension instance could not be created: thrown by the factories (never a null return, unlike the
 * pf4j demo factory), turned into a {@link PluginResult.Failed} by {@link PluginInvoker}.
 */
final class PluginLoadException extends RuntimeException {

    PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    PluginLoadException(String message) {
        super(message);
    }
}
