package io.runnel.examples.stamp;

import io.runnel.api.plugin.PluginContext;
import io.runnel.api.plugin.RunnelPlugin;

/** The plugin itself: nothing to start or stop, so it only passes its context on (the pf4j demo pattern). */
public final class HeaderStampPlugin extends RunnelPlugin {

    public HeaderStampPlugin(PluginContext context) {
        super(context);
    }
}
