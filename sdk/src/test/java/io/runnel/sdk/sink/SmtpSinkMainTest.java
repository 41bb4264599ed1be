package io.runnel.sdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SmtpSinkMainTest {

  @Test
  void scriptedRepliesParseAddressCodeAndText() {
    assertThat(SmtpSinkMain.parseScripted(List.of("bad@example.com=550 5.1.1 No such user", "slow@example.com=451")))
        .containsEntry("bad@example.com", SinkReply.of(550, "5.1.1 No such user"))
        .containsEntry("slow@example.com", SinkReply.of(451, "4.0.0 Scripted reply"));
  }

  @Test
  void malformedScriptedReplyIsRefused() {
    assertThatThrownBy(() -> SmtpSinkMain.parseScripted(List.of("bad@example.com:550")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ADDRESS=CODE");
  }

  @Test
  void badUsageExitsWithTwoBeforeListening() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SmtpSinkMain()).setErr(new PrintWriter(err));

    assertThat(cli.execute("--rcpt-reply", "nonsense")).isEqualTo(2);
    assertThat(cli.execute("--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("ADDRESS=CODE").contains("port must be 0-65535");
  }
}
