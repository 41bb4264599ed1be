package io.runnel.kernel.config;

import java.util.Objects;

/**
 * One {@code [[auth.users]]} entry. Only a bcrypt hash of the password is ever configured
 * ({@code runnel hash-password} or {@code htpasswd -nbB} make one).
 */
public record AuthUser(String name, String passwordHash) {

    public AuthUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (!passwordHash.matches("\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}")) {
            throw new IllegalArgumentException("password_hash must be a bcrypt hash ($2y$...)");
        }
    }

    @Override
    public String toString() {
        return "AuthUser[" + name + "]"; // never print the hash
    }
}
