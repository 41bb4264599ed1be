package io.runnel.plugin.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser on canned spamd answers (the first two as spamd 4.0.1 sends them). */
class SpamdResponseTest {

    private static SpamdResponse parse(String response) throws IOException {
        return SpamdResponse.parse(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aSpamAnswerGivesScoreThresholdAndSymbolsInOrder() throws Exception {
        SpamdResponse response = parse("SPAMD/1.1 0 EX_OK\r\nContent-length: 42\r\nSpam: True ; 1003.3 / 5.0\r\n\r\n"
                + "GTUBE,MISSING_DATE,MISSING_MID,NO_RECEIVED");

        assertThat(response).isEqualTo(new SpamdResponse(true, 1003.3, 5.0,
                List.of("GTUBE", "MISSING_DATE", "MISSING_MID", "NO_RECEIVED")));
    }

    @Test
    void aHamAnswerGivesItsLowScore() throws Exception {
        SpamdResponse response = parse("SPAMD/1.1 0 EX_OK\r\nContent-length: 36\r\nSpam: False ; 3.3 / 5.0\r\n\r\n"
                + "MISSING_DATE,MISSING_MID,NO_RECEIVED");

        assertThat(response.spam()).isFalse();
        assertThat(response.score()).isEqualTo(3.3);
        assertThat(response.symbols()).containsExactly("MISSING_DATE", "MISSING_MID", "NO_RECEIVED");
    }

    @Test
    void noRuleHitGivesNoSymbolsAndANegativeScoreIsKept() throws Exception {
        SpamdResponse response = parse("SPAMD/1.5 0 EX_OK\r\nContent-length: 0\r\nSpam: False ; -1.9 / 5.0\r\n\r\n");

        assertThat(response).isEqualTo(new SpamdResponse(false, -1.9, 5.0, List.of()));
    }

    @Test
    void headerNamesAreCaseInsensitiveAndATrailingNewlineAfterTheSymbolsIsIgnored() throws Exception {
        SpamdResponse response = parse("SPAMD/1.5 0 EX_OK\r\nspam: yes ; 6 / 5\r\n\r\nA,B\r\n");

        assertThat(response).isEqualTo(new SpamdResponse(true, 6.0, 5.0, List.of("A", "B")));
    }

    @Test
    void aNonZeroResponseCodeThrowsWithCodeAndMessage() {
        assertThatThrownBy(() -> parse("SPAMD/1.0 76 Bad header line: (Content-Length mismatch: Expected 10 bytes, "
                + "got 3 bytes)\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessage("spamd error 76 Bad header line: (Content-Length mismatch: Expected 10 bytes, got 3 bytes)");
    }

    @Test
    void anEmptyAnswerThrowsSayingTheConnectionClosed() {
        assertThatThrownBy(() -> parse(""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection closed without a response");
    }

    @Test
    void anAnswerWithoutSpamHeaderThrows() {
        assertThatThrownBy(() -> parse("SPAMD/1.1 0 EX_OK\r\nContent-length: 1\r\n\r\nA"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no Spam header");
    }

    @Test
    void aTruncatedSymbolListThrowsOnTheContentLengthMismatch() {
        assertThatThrownBy(() -> parse("SPAMD/1.1 0 EX_OK\r\nContent-length: 42\r\nSpam: True ; 1003.3 / 5.0\r\n\r\n"
                + "GTUBE,MISS"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Content-length 42 but 10 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\n\r\n",
        "SPAMD/1.1 0 EX_OK",
        "SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1003.3 / 5.0\r\n",
        "SPAMD/1.1 0 EX_OK\r\nSpam: maybe ; 3 / 5\r\n\r\n",
        "SPAMD/1.1 0 EX_OK\r\nno colon here\r\n\r\n",
        "SPAMD/1.1 0 EX_OK\r\nContent-length: x\r\nSpam: True ; 1 / 5\r\n\r\n",
    })
    void aMalformedAnswerIsAProtocolError(String response) {
        assertThatThrownBy(() -> parse(response))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("spamd protocol error: ");
    }
}
