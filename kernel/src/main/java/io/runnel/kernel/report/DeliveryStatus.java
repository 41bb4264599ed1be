package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of an RFC 3464 {@code message/delivery-status} part: a per-message block, then one block per recipient,
 * blocks separated by blank lines. Field names are lower-cased; folded lines are unfolded; a repeated field keeps
 * its first value.
 */
final class DeliveryStatus {

    private DeliveryStatus() {
    }

    /** Every block that names a recipient, in order (the per-message block is skipped). */
    static List<Map<String, String>> recipientBlocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> block = new LinkedHashMap<>();
        String last = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank()) {
                addIfRecipient(blocks, block);
                block = new LinkedHashMap<>();
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                block.merge(last, " " + line.strip(), String::concat);
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    if (block.containsKey(last) && (last.equals("final-recipient") || last.equals("original-recipient"))) {
                        addIfRecipient(blocks, block); // the next recipient's block, without the blank line between
                        block = new LinkedHashMap<>();
                    }
                    block.putIfAbsent(last, line.substring(colon + 1).strip());
                }
            }
        }
        addIfRecipient(blocks, block);
        return blocks;
    }

    private static void addIfRecipient(List<Map<String, String>> blocks, Map<String, String> block) {
        if (block.containsKey("final-recipient") || block.containsKey("original-recipient")) {
            blocks.add(block);
        }
    }

    /** The address of an {@code address-type; address} field such as {@code rfc822; user@example.com}. */
    static Optional<String> address(String field) {
        if (field == null) {
            return Optional.empty();
        }
        int semi = field.indexOf(';');
        String address = (semi >= 0 ? field.substring(semi + 1) : field).strip();
        if (address.startsWith("<") && address.endsWith(">")) {
            address = address.substring(1, address.length() - 1);
        }
        return address.contains("@") ? Optional.of(address) : Optional.empty();
    }
}
