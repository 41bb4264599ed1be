package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Counts expected-versus-got pairs and prints them as a table (rows expected, columns got), for accuracy tests. */
final class ConfusionTable {

    private final Map<String, Map<String, Integer>> counts = new TreeMap<>();
    private final List<String> misses = new ArrayList<>();
    private int total;
    private int correct;

    void add(String expected, String got, String sample) {
        counts.computeIfAbsent(expected, k -> new TreeMap<>()).merge(got, 1, Integer::sum);
        total++;
        if (expected.equals(got)) {
            correct++;
        } else {
            misses.add(expected + " <- " + got + " : " + sample);
        }
    }

    int total() {
        return total;
    }

    double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    List<String> misses() {
        return misses;
    }

    String render(String title) {
        TreeSet<String> columns = new TreeSet<>();
        counts.values().forEach(row -> columns.addAll(row.keySet()));
        List<String> cols = new ArrayList<>(columns);
        StringBuilder out = new StringBuilder(title).append(": ").append(correct).append('/').append(total)
                .append(String.format(" = %.1f%%%n", 100 * accuracy()));
        out.append(String.format("%-22s", "expected \\ got"));
        for (int i = 0; i < cols.size(); i++) {
            out.append(String.format("%5s", "c" + i));
        }
        out.append('\n');
        for (Map.Entry<String, Map<String, Integer>> row : counts.entrySet()) {
            out.append(String.format("%-22s", row.getKey()));
            for (String col : cols) {
                Integer n = row.getValue().get(col);
                out.append(String.format("%5s", n == null ? "." : n.toString()));
            }
            out.append('\n');
        }
        for (int i = 0; i < cols.size(); i++) {
            out.append("  c").append(i).append(" = ").append(cols.get(i)).append('\n');
        }
        return out.toString();
    }
}
