package io.runnel.kernel.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a HELP, TYPE or
 * comment line or a well-formed sample; a family's TYPE comes before its samples and its samples are contiguous;
 * no series appears twice; histogram buckets are cumulative and end in {@code +Inf} equal to {@code _count}.
 * Anything else throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {
    }

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Set<String> finishedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int number = i + 1;
            try {
                if (line.startsWith("#")) {
                    String family = out.comment(line);
                    if (family != null && !family.equals(currentFamily)) {
                        if (currentFamily != null) {
                            finishedFamilies.add(currentFamily);
                        }
                        if (finishedFamilies.contains(family)) {
                            throw new IllegalArgumentException("family " + family + " appears in two places");
                        }
                        currentFamily = family;
                    }
                    continue;
                }
                Sample sample = sample(line);
                String family = out.familyOf(sample.name());
                if (!family.equals(currentFamily)) {
                    if (currentFamily != null) {
                        finishedFamilies.add(currentFamily);
                    }
                    if (finishedFamilies.contains(family)) {
                        throw new IllegalArgumentException("family " + family + " appears in two places");
                    }
                    currentFamily = family;
                }
                if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
                    throw new IllegalArgumentException("duplicate series");
                }
                out.samples.add(sample);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage() + ": " + line, e);
            }
        }
        out.checkHistograms();
        return out;
    }

    /** The family a HELP or TYPE line is about, or null for a plain comment. */
    private String comment(String line) {
        String[] parts = line.split(" ", 4);
        if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return null;
        }
        String name = parts[2];
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name " + name);
        }
        if (parts[1].equals("TYPE")) {
            if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("bad type");
            }
            if (types.put(name, parts[3]) != null) {
                throw new IllegalArgumentException("second TYPE for " + name);
            }
        }
        return name;
    }

    private String familyOf(String sampleName) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        throw new IllegalArgumentException("sample without a TYPE line for its family");
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new IllegalArgumentException("bad label name " + label);
                }
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + next);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or } after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(s.labels());
                    if (rest.remove("le") == null) {
                        throw new IllegalArgumentException(family + ": bucket without le");
                    }
                    buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
                }
            }
            buckets.forEach((labels, list) -> {
                double previous = 0;
                double previousLe = Double.NEGATIVE_INFINITY;
                for (Sample b : list) {
                    double le = value(b.labels().get("le"));
                    if (le <= previousLe || b.value() < previous) {
                        throw new IllegalArgumentException(family + labels + ": buckets not cumulative");
                    }
                    previous = b.value();
                    previousLe = le;
                }
                if (previousLe != Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(family + labels + ": no +Inf bucket");
                }
                Sample count = samples.stream().filter(s -> s.name().equals(family + "_count")
                        && new TreeMap<>(s.labels()).equals(labels)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(family + labels + ": no _count"));
                if (count.value() != previous) {
                    throw new IllegalArgumentException(family + labels + ": +Inf bucket differs from _count");
                }
            });
        });
    }

    Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the series {@code name} whose labels include {@code labels} (pairs), if exactly one matches. */
    Optional<Double> value(String name, String... labels) {
        List<Sample> matching = matching(name, labels);
        if (matching.size() > 1) {
            throw new IllegalArgumentException(matching.size() + " series match " + name + List.of(labels));
        }
        return matching.stream().findFirst().map(Sample::value);
    }

    /** The sum over every series {@code name} whose labels include {@code labels}; 0 when none. */
    double sum(String name, String... labels) {
        return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The values label {@code label} takes across the series {@code name}. */
    Set<String> labelValues(String name, String label) {
        Set<String> out = new HashSet<>();
        samples(name).forEach(s -> Optional.ofNullable(s.labels().get(label)).ifPresent(out::add));
        return out;
    }

    private List<Sample> matching(String name, String... labels) {
        return samples(name).stream().filter(s -> {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }
}
