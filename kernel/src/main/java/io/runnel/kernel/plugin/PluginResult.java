package io.runnel.kernel.plugin;

import java.util.Objects;
import java.util.Optional;

/** The outcome of one guarded plugin call: the value, or why there is none. Never null, never thrown. */
public sealed interface PluginResult<T> {

    record Success<T>(T value) implements PluginResult<T> {
    }

    /**
     * The call threw, missed its deadline or could not be queued.
     *
     * @param pluginId the plugin called
     * @param reason   for operators' logs; never for the SMTP peer
     * @param action   what the caller declared it would do now
     * @param cause    what the plugin threw; empty for timeouts and rejections
     */
    record Failed<T>(String pluginId, String reason, OnFailure action, Optional<Throwable> cause)
            implements PluginResult<T> {
        public Failed {
            Objects.requireNonNull(pluginId, "pluginId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(cause, "cause");
        }
    }
}
