package io.runnel.kernel.plugin;

/**
 * A plugin that was skipped, and why.
 *
 * @param plugin the plugin id, or the jar's file name when the jar could not be read far enough to know the id
 * @param reason for operators
 */
public record PluginFailure(String plugin, String reason) {
}
