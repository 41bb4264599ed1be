package io.runnel.kernel.shaping.store;

/** Redis did not answer in time, refused the connection or refused the command: the caller falls back to local limits. */
public final class RedisUnavailableException extends Exception {

    RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
