package io.runnel.plugin.dkim;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Finds /work/shared/testdata/dkim (or -Drunnel.testdata) and reads its expected.tsv (test only). */
final class TestData {

    private TestData() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The vector folder; skips the test when it is absent, except on CI where it must be there. */
    static Path dkimDir() {
        String configured = System.getProperty("runnel.testdata", System.getenv("RUNNEL_TESTDATA"));
        if (configured != null) {
            return Path.of(configured).resolve("dkim");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/dkim");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        if (ci()) {
            fail("DKIM test vectors not found: set -Drunnel.testdata");
        }
        assumeTrue(false, "DKIM test vectors not found");
        throw new AssertionError();
    }

    /** One row per DKIM-Signature of expected.tsv, column name to value. */
    static List<Map<String, String>> expectedRows() throws IOException {
        List<String> lines = Files.readAllLines(dkimDir().resolve("expected.tsv"));
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

    /** The tags of a DKIM-Signature field, whitespace removed from values (RFC 6376 3.2). */
    static Map<String, String> tags(String field) {
        String value = field.substring(field.indexOf(':') + 1);
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.put(part.substring(0, eq).strip(), part.substring(eq + 1).replaceAll("[ \t\r\n]", ""));
            }
        }
        return tags;
    }

    /** The field without its CRLF and with the b= value emptied: the text the signer signed. */
    static String unsignedTemplate(String field) {
        String noCrlf = field.endsWith("\r\n") ? field.substring(0, field.length() - 2) : field;
        return noCrlf.replaceFirst("(?<=[;:\\s])b=[^;]*", "b=");
    }
}
