package io.runnel.kernel.log;

import java.util.Comparator;
import java.util.Objects;

/**
 * A place in the journal: a segment file name and a byte offset in it, the start of the next record to read.
 * Segment names sort in write order, so positions compare by name, then offset. The empty name sorts before
 * every segment: a reader there starts at the oldest record on disk.
 */
record JournalPosition(String segment, long offset) implements Comparable<JournalPosition> {

    /** Before the oldest segment, whatever it is. */
    static final JournalPosition START = new JournalPosition("", 0);

    private static final Comparator<JournalPosition> ORDER =
            Comparator.comparing(JournalPosition::segment).thenComparingLong(JournalPosition::offset);

    JournalPosition {
        Objects.requireNonNull(segment, "segment");
        if (offset < 0 || segment.contains("/") || segment.contains(" ") || segment.contains("\n")) {
            throw new IllegalArgumentException("bad journal position " + segment + " " + offset);
        }
    }

    /** {@code "<segment> <offset>"}, the cursor file's content (without the newline). */
    String format() {
        return segment + " " + offset;
    }

    static JournalPosition parse(String text) {
        String line = text.stripTrailing(); // the segment is empty at START: " 0"
        int space = line.lastIndexOf(' ');
        if (space >= 0) {
            try {
                return new JournalPosition(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
            } catch (IllegalArgumentException e) {
                // reported below, with the text
            }
        }
        throw new IllegalArgumentException("not a journal position: \"" + text.strip() + "\"");
    }

    @Override
    public int compareTo(JournalPosition other) {
        return ORDER.compare(this, other);
    }
}
