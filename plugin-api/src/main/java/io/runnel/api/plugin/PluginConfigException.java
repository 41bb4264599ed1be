package io.runnel.api.plugin;

/**
 * A plugin configuration that cannot be used: the full key and the reason (the kernel adds file and plugin id).
 *
 * @since API 1.0
 */
public final class PluginConfigException extends Exception {

    private final String key;
    private final String reason;

    public PluginConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
