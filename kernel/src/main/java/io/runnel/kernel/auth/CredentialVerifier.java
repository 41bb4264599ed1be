package io.runnel.kernel.auth;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.AuthUser;
import io.runnel.kernel.config.RunnelConfig;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks AUTH credentials against the configured bcrypt hashes on a small bounded pool, never on an event loop.
 * An unknown user costs the same bcrypt work as a known one, so timing does not tell which names exist.
 */
public final class CredentialVerifier implements Service {

    private static final int THREADS = 2;
    private static final int QUEUE = 1000;

    private final Map<String, AuthUser> users;
    private final String decoyHash;
    private ThreadPoolExecutor pool;

    @Inject
    public CredentialVerifier(RunnelConfig config) {
        this.users = config.users().stream().collect(Collectors.toUnmodifiableMap(AuthUser::name, Function.identity()));
        this.decoyHash = users.values().stream().findFirst().map(AuthUser::passwordHash)
                .orElseGet(() -> Bcrypt.hash("decoy".toCharArray(), 4, new SecureRandom()));
    }

    /** The outcome of one check. */
    public enum Result { ACCEPTED, REJECTED, BUSY }

    public boolean hasUsers() {
        return !users.isEmpty();
    }

    /** Completes with the verdict; {@code BUSY} when too many checks are already waiting. */
    public CompletableFuture<Result> verify(String user, char[] password) {
        try {
            return CompletableFuture.supplyAsync(() -> check(user, password), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Result.BUSY);
        }
    }

    private Result check(String user, char[] password) {
        Optional<AuthUser> known = Optional.ofNullable(users.get(user));
        boolean matches = Bcrypt.matches(known.map(AuthUser::passwordHash).orElse(decoyHash), password);
        Arrays.fill(password, '\0');
        return known.isPresent() && matches ? Result.ACCEPTED : Result.REJECTED;
    }

    @Override
    public int phase() {
        return Phases.SPOOL + 50;
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void start() {
        pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread t = new Thread(runnable, "auth-verifier");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void stop(Duration grace) {
        pool.shutdown();
        try {
            pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
