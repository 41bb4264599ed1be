package io.runnel.kernel.config;

/**
 * Re-reads the configuration files ({@code conf/} and {@code rules/}) and, when every changed file is valid, swaps
 * the live parts in atomically: messages in flight finish under the old configuration, new ones use the new. A
 * broken file changes nothing. Called by the file watcher, the reload command and the control plane's ReloadConfig.
 */
public interface ConfigReloader {

    /** Validates and applies the files as they are now; safe to call concurrently (calls are serialised). */
    ReloadReport reload();
}
