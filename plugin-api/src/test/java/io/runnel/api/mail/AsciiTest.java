package io.runnel.api.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AsciiTest {

    @Test
    void everyCharBelow0x80IsAsciiAndNothingElse() {
        assertThat(Ascii.isAscii("")).isTrue();
        assertThat(Ascii.isAscii("postmaster@example.com\u007f")).isTrue();
        assertThat(Ascii.isAscii("a\u0080")).isFalse();
        assertThat(Ascii.isAscii("jörg@bücher.example")).isFalse();
        assertThat(Ascii.isAscii(new StringBuilder("x").append('\u4e2d'))).isFalse();
    }
}
