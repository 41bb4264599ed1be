package io.runnel.kernel.cli;

import io.runnel.kernel.auth.Bcrypt;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel hash-password}: prints the bcrypt hash to put in {@code [[auth.users]] password_hash}. */
@Command(name = "hash-password", description = "Read a password (prompt, or one line on standard input) and print its bcrypt hash.")
final class HashPasswordCommand implements Callable<Integer> {

    @Option(names = "--cost", defaultValue = "" + Bcrypt.DEFAULT_COST, description = "bcrypt cost, 4 to 31 (default ${DEFAULT-VALUE}).")
    int cost;

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) {
            System.err.println("runnel: --cost must be between 4 and 31");
            return 2;
        }
        char[] password = read();
        if (password == null || password.length == 0) {
            System.err.println("runnel: no password given");
            return 2;
        }
        System.out.println(Bcrypt.hash(password, cost, new SecureRandom()));
        return 0;
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            return console.readPassword("password: ");
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
