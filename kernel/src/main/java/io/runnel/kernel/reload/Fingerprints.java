package io.runnel.kernel.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The content hashes of the configuration files, by path relative to RUNNEL_HOME: what a reload compares. */
record Fingerprints(Map<String, String> hashes) {

    Fingerprints {
        hashes = Map.copyOf(hashes);
    }

    /** @param configFiles runnel.toml and the shaping files it names */
    static Fingerprints of(Path home, List<Path> configFiles, Path rulesFolder) {
        Map<String, String> hashes = new TreeMap<>();
        configFiles.forEach(file -> put(hashes, home, file));
        if (Files.isDirectory(rulesFolder)) {
            try (Stream<Path> files = Files.list(rulesFolder)) {
                files.filter(f -> f.getFileName().toString().endsWith(".groovy")).forEach(f -> put(hashes, home, f));
            } catch (IOException e) {
                hashes.put(relative(home, rulesFolder), "unreadable");
            }
        }
        return new Fingerprints(hashes);
    }

    /** Files added, removed or changed since {@code before}. */
    List<String> changedSince(Fingerprints before) {
        List<String> changed = new ArrayList<>();
        TreeMap<String, String> all = new TreeMap<>(before.hashes);
        all.putAll(hashes);
        for (String file : all.keySet()) {
            if (!String.valueOf(hashes.get(file)).equals(String.valueOf(before.hashes.get(file)))) {
                changed.add(file);
            }
        }
        return changed;
    }

    private static void put(Map<String, String> hashes, Path home, Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            hashes.put(relative(home, file), HexFormat.of().formatHex(digest));
        } catch (IOException e) {
            hashes.put(relative(home, file), "unreadable");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String relative(Path home, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(home) ? home.relativize(absolute).toString() : absolute.toString();
    }
}
