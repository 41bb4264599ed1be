package io.runnel.kernel.auth;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt password hashes in the {@code $2y$} form that htpasswd and most mail servers read and write. */
public final class Bcrypt {

    /** Cost 12: about a quarter of a second on a current core, which is why checks never run on an event loop. */
    public static final int DEFAULT_COST = 12;

    private Bcrypt() {
    }

    public static String hash(char[] password, int cost, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password, salt, cost);
    }

    public static boolean matches(String hash, char[] password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException e) {
            return false; // a malformed hash matches nothing; config validation reports it at start
        }
    }
}
