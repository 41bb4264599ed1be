package io.runnel.kernel.plugin;

/** Counts of guarded calls to one plugin since start; timeouts and rejections count as failures too. */
public record PluginCallStats(long calls, long failures, long timeouts) {
}
