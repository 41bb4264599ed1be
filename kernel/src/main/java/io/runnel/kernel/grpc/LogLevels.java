package io.runnel.kernel.grpc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Changes logback logger levels while the daemon runs, optionally putting the old level back later. */
final class LogLevels {

    /** What a change did. */
    record Change(String logger, Optional<String> previous, String effective) {
    }

    Change set(String name, String levelText, Optional<Duration> revertAfter) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw GrpcErrors.precondition("logging is not logback; levels cannot be changed");
        }
        Level level = level(levelText);
        Logger logger = context.getLogger(name.isEmpty() ? org.slf4j.Logger.ROOT_LOGGER_NAME : name);
        if (level == null && logger.getName().equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            throw GrpcErrors.invalid("the root logger needs a level");
        }
        Level previous = logger.getLevel();
        logger.setLevel(level);
        revertAfter.ifPresent(after -> CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (logger.getLevel() == level) { // a later change wins over this revert
                logger.setLevel(previous);
            }
        }));
        return new Change(logger.getName(), Optional.ofNullable(previous).map(Level::toString),
                logger.getEffectiveLevel().toString());
    }

    /** Null clears the level (inherit). */
    private static Level level(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "ALL" -> Level.toLevel(upper);
            default -> throw GrpcErrors.invalid("level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got \"" + text + "\"");
        };
    }
}
