package io.runnel.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a test daemon's delivery log journal ({@code <home>/log/*.jsonl}) back, in write order. */
public final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Journal() {
    }

    /** Every journal line; empty before the first record. */
    public static List<String> lines(Path home) throws IOException {
        Path log = home.resolve("log");
        if (!Files.isDirectory(log)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    /** How many records of {@code type} there are, read line by line (for journals too big to parse whole). */
    public static long count(Path home, String type) throws IOException {
        Path log = home.resolve("log");
        if (!Files.isDirectory(log)) {
            return 0;
        }
        String start = "{\"type\":\"" + type + "\"";
        long count = 0;
        try (Stream<Path> files = Files.list(log)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                try (Stream<String> lines = Files.lines(file)) {
                    count += lines.filter(line -> line.startsWith(start)).count();
                }
            }
        }
        return count;
    }

    /** Every record, parsed. */
    public static List<JsonNode> records(Path home) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines(home)) {
            records.add(JSON.readTree(line));
        }
        return records;
    }

    /** The records of one type ({@code "Delivery"}, {@code "OOB"}, ...). */
    public static List<JsonNode> records(Path home, String type) throws IOException {
        return records(home).stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }
}
