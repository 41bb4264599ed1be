package io.runnel.plugin.amqp;

import io.runnel.api.log.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A routing key with placeholders, parsed once: {@code {type}} (the record type as in its JSON, e.g.
 * {@code Delivery}), {@code {tenant}} and {@code {campaign}} (empty when the record has none). Everything else is
 * literal, so {@code "runnel.{type}.{tenant}"} routes a delivery for tenant acme as {@code runnel.Delivery.acme}.
 */
record RoutingKeyTemplate(String text, List<Function<LogEvent, String>> parts) {

    RoutingKeyTemplate {
        parts = List.copyOf(parts);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming an unknown or unclosed placeholder. */
    static RoutingKeyTemplate parse(String text) {
        List<Function<LogEvent, String>> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                parts.add(literal(text.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(literal(text.substring(at, open)));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' at position " + open);
            }
            parts.add(placeholder(text.substring(open + 1, close)));
            at = close + 1;
        }
        return new RoutingKeyTemplate(text, parts);
    }

    String render(LogEvent event) {
        StringBuilder key = new StringBuilder();
        for (Function<LogEvent, String> part : parts) {
            key.append(part.apply(event));
        }
        return key.toString();
    }

    private static Function<LogEvent, String> literal(String text) {
        return event -> text;
    }

    private static Function<LogEvent, String> placeholder(String name) {
        return switch (name) {
            case "type" -> event -> event.type().json();
            case "tenant" -> event -> event.tenant().orElse("");
            case "campaign" -> event -> event.campaign().orElse("");
            default -> throw new IllegalArgumentException(
                    "unknown placeholder {" + name + "}; use {type}, {tenant} or {campaign}");
        };
    }
}
