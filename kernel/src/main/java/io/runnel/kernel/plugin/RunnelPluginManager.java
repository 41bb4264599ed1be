package io.runnel.kernel.plugin;

import io.runnel.api.ApiVersion;
import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginFactory;

/**
 * pf4j's manager with our factories and the plugin API version as the system version. The factories are set
 * after pf4j's constructor, which calls the {@code create*} methods before subclass fields exist.
 */
final class RunnelPluginManager extends DefaultPluginManager {

    RunnelPluginManager(Path root, PluginFactory plugins, ExtensionFactory extensions) {
        super(root);
        this.pluginFactory = plugins;
        this.extensionFactory = extensions;
        setSystemVersion(ApiVersion.CURRENT);
    }

    /** Listed in the folder's {@code disabled.txt} (or left out of {@code enabled.txt}) by the operator. */
    boolean disabledByOperator(String pluginId) {
        return pluginStatusProvider.isPluginDisabled(pluginId);
    }
}
