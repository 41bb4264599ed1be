package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNameTest {

    @Test
    void missingPartsAreDropped() {
        assertThat(new QueueName(Optional.of("spring"), Optional.of("acme"), "Example.com")).hasToString("spring:acme@example.com");
        assertThat(new QueueName(Optional.empty(), Optional.of("acme"), "example.com")).hasToString("acme@example.com");
        assertThat(new QueueName(Optional.of("spring"), Optional.empty(), "example.com")).hasToString("spring:example.com");
        assertThat(new QueueName(Optional.empty(), Optional.empty(), "example.com")).hasToString("example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring:acme@example.com", "acme@example.com", "spring:example.com", "example.com"})
    void parsesWhatItWrites(String text) {
        assertThat(QueueName.parse(text)).hasToString(text);
    }

    @Test
    void refusesPartsThatWouldBeAmbiguous() {
        assertThatThrownBy(() -> new QueueName(Optional.of("a:b"), Optional.empty(), "example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueName(Optional.empty(), Optional.of("a@b"), "example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueName(Optional.empty(), Optional.empty(), "")).isInstanceOf(IllegalArgumentException.class);
    }
}
