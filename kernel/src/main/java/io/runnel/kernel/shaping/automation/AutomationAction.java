package io.runnel.kernel.shaping.automation;

import java.util.Objects;

/**
 * What an automation rule does when it triggers, for its duration, to the path (egress source to site) whose
 * reply matched. KumoMTA's action names.
 */
public sealed interface AutomationAction {

    /** True for actions that stop mail on the path from being attempted (held or bounced). */
    boolean holdsMail();

    /** Holds the egress source's mail to the site. */
    record Suspend() implements AutomationAction {
        @Override
        public boolean holdsMail() {
            return true;
        }

        @Override
        public String toString() {
            return "Suspend";
        }
    }

    /** Holds the tenant's mail to the site (every egress source). */
    record SuspendTenant() implements AutomationAction {
        @Override
        public boolean holdsMail() {
            return true;
        }

        @Override
        public String toString() {
            return "SuspendTenant";
        }
    }

    /** Holds the tenant's campaign's mail to the site (every egress source). */
    record SuspendCampaign() implements AutomationAction {
        @Override
        public boolean holdsMail() {
            return true;
        }

        @Override
        public String toString() {
            return "SuspendCampaign";
        }
    }

    /** Admin-bounces the egress source's mail to the site. */
    record Bounce() implements AutomationAction {
        @Override
        public boolean holdsMail() {
            return true;
        }

        @Override
        public String toString() {
            return "Bounce";
        }
    }

    /**
     * Overrides one shaping key of the path, e.g. {@code max_message_rate = "1/minute"}.
     *
     * @param value as written in the TOML file: a String, Long, Double or Boolean, for the shaping key's own parser
     */
    record SetConfig(String name, Object value) implements AutomationAction {
        public SetConfig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!(value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean)) {
                throw new IllegalArgumentException("a shaping value is a string, integer, number or boolean, got " + value);
            }
        }

        @Override
        public boolean holdsMail() {
            return false;
        }

        @Override
        public String toString() {
            return "SetConfig(" + name + "=" + value + ")";
        }
    }
}
