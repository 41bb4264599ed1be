package io.runnel.kernel.boot;

import java.time.Duration;

/**
 * A part of the daemon with a lifecycle. {@link ServiceManager} starts services by ascending
 * {@link #phase()} and stops them in the reverse order, so the spool opens before listeners accept and
 * closes after they have stopped.
 */
public interface Service {

    /** Start order: lower starts first and stops last. */
    int phase();

    /** A short name for logs. */
    String name();

    /** Acquires resources (files, sockets, threads). Throws when the daemon cannot run without it. */
    void start() throws Exception;

    /** Releases everything; waits at most {@code grace} for work in flight. Never throws. */
    void stop(Duration grace);

    /** Phases of the kernel's services. */
    final class Phases {
        /** First up, last down: everything that writes delivery records stops before the log does. */
        public static final int LOG = 50;
        /** The metrics endpoint: serving while the spool is recovered, until everything else has stopped. */
        public static final int METRICS = 60;
        public static final int SPOOL = 100;
        /** Operator suspensions and admin bounces: read before recovered mail can flow. */
        public static final int ADMIN_RULES = 150;
        /** Starts the spool scan on its own thread; {@link #RECOVERED} waits for its end. */
        public static final int RECOVERY = 200;
        public static final int EVENT_LOOPS = 800;
        /** Throttles and connection leases (Redis when configured): up before delivery takes any, down after it. */
        public static final int SHAPING_STORES = 840;
        /** Applies the other nodes' automation actions: after the stores and the admin rules it writes to. */
        public static final int SHARED_AUTOMATION = 845;
        /** The resolver has its own loop; up before listeners so nothing needing DNS runs without it. */
        public static final int DNS = 850;
        /** The pool plugin calls run on: up before plugins start, down after they stop. */
        public static final int PLUGIN_CALLS = 852;
        /**
         * Plugins get the resolver in their context, so they start after DNS; everything that calls them
         * (delivery, reception) starts after them and stops before.
         */
        public static final int PLUGINS = 855;
        /** Log shippers call the sink plugins: up after them, down before them (and long before the log). */
        public static final int LOG_SHIPPING = 856;
        /** The threads rules run on. */
        public static final int RULES = 857;
        /** Loads the rules and watches conf/ and rules/: the live configuration exists before anything reads it. */
        public static final int RELOAD = 858;
        /** Delivery needs the event loops and DNS; the queues feed it, so they start after it and stop before. */
        public static final int DELIVERY = 860;
        public static final int QUEUES = 870;
        /** Every spooled message is back in its queues (delivery already runs): only then control plane and listeners. */
        public static final int RECOVERED = 875;
        /** The control plane: after the queues it drives, before the listeners, so it can drain them. */
        public static final int GRPC = 880;
        public static final int LISTENERS = 900;

        private Phases() {
        }
    }
}
