package io.runnel.kernel.rules;

/** Tenant, campaign and pool names end up in queue names and records: no separators, no blanks. */
final class QueueLabel {

    private QueueLabel() {
    }

    static String check(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 128
                || name.chars().anyMatch(c -> c == ':' || c == '@' || c <= ' ')) {
            throw new IllegalArgumentException(what + " must be 1 to 128 characters without ':', '@' or blanks, got '" + name + "'");
        }
        return name;
    }
}
