package io.runnel.api.plugin;

import java.util.Objects;
import org.pf4j.Plugin;

/**
 * Base class of a plugin's {@code Plugin-Class}: the kernel constructs it with the plugin's {@link PluginContext}
 * (the pf4j demo pattern), never with pf4j's {@code PluginWrapper}, so a plugin sees Runnel's API and not framework
 * internals. {@link #start()} and {@link #stop()} are called once each, on a kernel thread, with a deadline; a
 * {@code start()} that throws marks the plugin failed and it is skipped (or the daemon refuses to start when the
 * plugin is required). A plugin without lifecycle needs may omit {@code Plugin-Class} altogether.
 *
 * @since API 1.0
 */
public abstract class RunnelPlugin extends Plugin {

    private final PluginContext context;

    protected RunnelPlugin(PluginContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** The context this plugin was created with; its extensions receive the same one. */
    protected final PluginContext context() {
        return context;
    }
}
