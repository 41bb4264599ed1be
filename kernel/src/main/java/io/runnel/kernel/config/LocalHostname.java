package io.runnel.kernel.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, read from the kernel rather than through DNS (a start never waits on a resolver). */
final class LocalHostname {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalHostname() {
    }

    static String read() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).trim();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | SecurityException e) {
            return "localhost";
        }
    }
}
