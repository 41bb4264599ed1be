package io.runnel.kernel.trace;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Live SMTP session events for whoever subscribes (the control plane's TraceSessions). Sessions ask
 * {@link #active()} (one volatile read) before building an event, so tracing costs nothing while nobody listens.
 * Subscribers are called on event-loop threads and must not block.
 */
@Singleton
public final class SessionTracer {

    private final Clock clock;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean active;

    @Inject
    public SessionTracer(Clock clock) {
        this.clock = clock;
    }

    /** Ends a subscription; closing twice is harmless. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Subscriber(Predicate<SessionEvent> filter, Consumer<SessionEvent> sink) {
    }

    /** True while at least one subscriber listens. */
    public boolean active() {
        return active;
    }

    public Clock clock() {
        return clock;
    }

    /** Passes {@code event} to every subscriber whose filter takes it. */
    public void emit(SessionEvent event) {
        for (Subscriber s : subscribers) {
            if (s.filter().test(event)) {
                s.sink().accept(event);
            }
        }
    }

    /** Starts passing matching events to {@code sink}; close the result to stop. */
    public Subscription subscribe(Predicate<SessionEvent> filter, Consumer<SessionEvent> sink) {
        Subscriber subscriber = new Subscriber(filter, sink);
        subscribers.add(subscriber);
        active = true;
        return () -> {
            subscribers.remove(subscriber);
            active = !subscribers.isEmpty();
        };
    }

    /** What an SMTP command line may show: AUTH initial responses and SASL continuation lines are masked. */
    public static String maskCommand(String line, boolean saslInProgress) {
        if (saslInProgress) {
            return "***";
        }
        String[] words = line.split(" ", 3);
        if (words.length == 3 && words[0].equalsIgnoreCase("AUTH")) {
            return words[0] + " " + words[1] + " ***";
        }
        return line;
    }
}
