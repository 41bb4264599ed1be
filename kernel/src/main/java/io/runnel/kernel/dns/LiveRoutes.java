package io.runnel.kernel.dns;

import io.runnel.kernel.config.RouteConfig;
import io.runnel.kernel.reload.LiveConfig;
import java.util.List;
import java.util.function.Supplier;

/** The routes of the live configuration, indexed once per configuration generation rather than per lookup. */
final class LiveRoutes implements Supplier<Routes> {

    private record Indexed(List<RouteConfig> source, Routes routes) {
    }

    private final LiveConfig live;
    private volatile Indexed indexed;

    LiveRoutes(LiveConfig live) {
        this.live = live;
        List<RouteConfig> routes = live.current().config().routes();
        this.indexed = new Indexed(routes, new Routes(routes));
    }

    @Override
    public Routes get() {
        List<RouteConfig> routes = live.current().config().routes();
        Indexed current = indexed;
        if (current.source() != routes) { // a reload: another list object
            current = new Indexed(routes, new Routes(routes));
            indexed = current;
        }
        return current.routes();
    }
}
