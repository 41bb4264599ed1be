package io.runnel.kernel.report;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds the shared real-world samples (/work/shared/testdata or -Drunnel.testdata) and reads their TSV manifests. */
final class TestData {

    private TestData() {
    }

    /** A folder of the shared test data; skips the test when absent, except on CI where it must be there. */
    static Path dir(String name) {
        String configured = System.getProperty("runnel.testdata", System.getenv("RUNNEL_TESTDATA"));
        if (configured != null) {
            return Path.of(configured).resolve(name);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("test data " + name + " not found: set -Drunnel.testdata");
        }
        assumeTrue(false, "test data " + name + " not found");
        throw new AssertionError();
    }

    /** The rows of a TSV manifest with a header row, column name to value. */
    static List<Map<String, String>> rows(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        String[] columns = lines.get(0).split("\t", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.length; i++) {
                row.put(columns[i], i < cells.length ? cells[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }
}
