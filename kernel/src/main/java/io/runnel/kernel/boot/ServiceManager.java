package io.runnel.kernel.boot;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the services by ascending phase and stops them in reverse: listeners stop accepting first, the spool
 * commits and closes last. If a start fails, what already started is stopped again before the failure is thrown.
 */
public final class ServiceManager {

    private static final Logger log = LoggerFactory.getLogger(ServiceManager.class);

    private final List<Service> services;
    private final Deque<Service> started = new ArrayDeque<>();

    @Inject
    public ServiceManager(Set<Service> services) {
        this.services = services.stream().sorted(Comparator.comparingInt(Service::phase)).toList();
    }

    public synchronized void start() throws Exception {
        for (Service service : services) {
            try {
                service.start();
                started.push(service);
            } catch (Exception e) {
                log.atError().addKeyValue("service", service.name()).log("start failed: {}", e.getMessage());
                stop(Duration.ofSeconds(5));
                throw e;
            }
        }
    }

    /** Stops every started service, newest first. Safe to call twice. */
    public synchronized void stop(Duration grace) {
        while (!started.isEmpty()) {
            Service service = started.pop();
            try {
                service.stop(grace);
            } catch (RuntimeException e) {
                log.atError().addKeyValue("service", service.name()).setCause(e).log("stop failed");
            }
        }
    }
}
