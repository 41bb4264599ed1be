package io.runnel.kernel.dns;

import io.runnel.kernel.config.RouteConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured {@code [[route]]}s, matched exact domain first, then the longest suffix, then {@code *}. */
final class Routes {

    private final Map<String, RouteConfig> byDomain = new HashMap<>();

    Routes(List<RouteConfig> routes) {
        for (RouteConfig route : routes) {
            if (byDomain.putIfAbsent(route.domain(), route) != null) {
                throw new IllegalArgumentException("two routes for " + route.domain());
            }
        }
    }

    /** @param domain lower case, without a trailing dot */
    Optional<RouteConfig> match(String domain) {
        RouteConfig exact = byDomain.get(domain);
        if (exact != null) {
            return Optional.of(exact);
        }
        // ".a.example.com" before ".example.com": walk the dots from the left
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            RouteConfig suffix = byDomain.get(domain.substring(dot));
            if (suffix != null) {
                return Optional.of(suffix);
            }
        }
        return Optional.ofNullable(byDomain.get("*"));
    }
}
