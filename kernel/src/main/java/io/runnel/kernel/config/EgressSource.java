package io.runnel.kernel.config;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [[egress.source]]}: the local address outbound connections bind and the EHLO name they use. Mail
 * from different sources never shares a connection or a ready queue, so each source keeps its own reputation.
 */
public record EgressSource(String name, Optional<InetAddress> bindAddress, String ehloName) {
    public EgressSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(ehloName, "ehloName");
    }
}
