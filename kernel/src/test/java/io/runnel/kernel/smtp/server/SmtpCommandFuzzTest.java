package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/** Any command line a client can send: the parser answers with a command or an Invalid reply, never an exception. */
class SmtpCommandFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void commandLine(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        SmtpCommand command = SmtpCommandParser.parse(line);
        assertThat(command).isNotNull();
    }
}
