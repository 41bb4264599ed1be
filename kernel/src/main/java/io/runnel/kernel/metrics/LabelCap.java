package io.runnel.kernel.metrics;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values one label (tenant, site) may take, so a sender with a million tenants cannot make a million
 * series: the first {@code max} distinct values keep their own value, every later one is reported as
 * {@value #OTHER}. An absent value is {@value #NONE} and takes no place. Thread-safe; lock-free once a value is
 * known or the cap is reached.
 */
public final class LabelCap {

    public static final String OTHER = "other";
    public static final String NONE = "none";

    private final int max;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private volatile boolean full;

    public LabelCap(int max) {
        this.max = max;
        this.full = max == 0;
    }

    /** The label value for {@code value}: itself while there is room or when already admitted, else "other". */
    public String label(String value) {
        if (value.isEmpty()) {
            return NONE;
        }
        if (admitted.contains(value)) {
            return value;
        }
        return full ? OTHER : admit(value);
    }

    public String label(Optional<String> value) {
        return value.isPresent() ? label(value.get()) : NONE;
    }

    private synchronized String admit(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        if (admitted.size() >= max) {
            full = true;
            return OTHER;
        }
        admitted.add(value);
        full = admitted.size() >= max;
        return value;
    }
}
