package io.runnel.kernel.spool;

/**
 * Why the spool could not do what it was asked. The SMTP layer maps these to replies in one place and never
 * shows their text to a peer.
 */
public abstract sealed class SpoolException extends Exception
        permits SpoolException.SpoolFull, SpoolException.SpoolUnavailable, SpoolException.CorruptEntry {

    SpoolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The LMDB map or the file system under it is full: nothing more can be stored until messages leave, space
     * returns or map_size grows.
     */
    public static final class SpoolFull extends SpoolException {
        public SpoolFull(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A disk or LMDB error, or the spool is closed. */
    public static final class SpoolUnavailable extends SpoolException {
        public SpoolUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A record could not be read back (missing body, undecodable metadata). */
    public static final class CorruptEntry extends SpoolException {
        private final SpoolId id;

        public CorruptEntry(SpoolId id, String message, Throwable cause) {
            super(id + ": " + message, cause);
            this.id = id;
        }

        public SpoolId id() {
            return id;
        }
    }
}
