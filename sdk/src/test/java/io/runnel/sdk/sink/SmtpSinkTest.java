package io.runnel.sdk.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink over real loopback sockets. */
class SmtpSinkTest {

  @Test
  void ehloAdvertisesTheExtensionsBenchmarksRelyOn() throws IOException {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults()); Conversation c = new Conversation(sink.port())) {
      assertThat(c.send("EHLO client.test")).contains("250-PIPELINING", "250-8BITMIME", "250-SMTPUTF8",
          "250-CHUNKING", "250-SIZE 67108864", "250 ENHANCEDSTATUSCODES");
    }
  }

  @Test
  void scriptedRecipientsGetTheirRepliesAndOthersAreAccepted() throws IOException {
    SinkOptions options = SinkOptions.defaults().keepingMessages(true).withRecipientPolicy(RecipientPolicy.scripted(
        Map.of("Gone@Example.com", SinkReply.of(550, "5.1.1 No such user"),
            "busy@example.com", SinkReply.of(451, "4.7.1 Try again later"))));
    try (SmtpSink sink = SmtpSink.start(options); Conversation c = new Conversation(sink.port())) {
      c.send("EHLO client.test");
      c.send("MAIL FROM:<sender@example.com>");

      assertThat(c.send("RCPT TO:<gone@example.com>")).containsExactly("550 5.1.1 No such user");
      assertThat(c.send("RCPT TO:<busy@example.com>")).containsExactly("451 4.7.1 Try again later");
      assertThat(c.send("RCPT TO:<ok@example.com>")).containsExactly("250 2.1.5 Ok");
      assertThat(c.send("DATA")).containsExactly("354 End data with <CR><LF>.<CR><LF>");
      assertThat(c.send("Subject: hi\r\n\r\nbody\r\n.")).containsExactly("250 2.0.0 Ok: queued as 1");
      assertThat(c.send("QUIT")).containsExactly("221 2.0.0 Bye");

      assertThat(sink.received()).singleElement().satisfies(m -> {
        assertThat(m.sender()).isEqualTo("sender@example.com");
        assertThat(m.recipients()).containsExactly("ok@example.com");
        assertThat(new String(m.content(), US_ASCII)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
      });
    }
  }

  @Test
  void sinkThatDoesNotKeepMessagesStillCountsThem() throws IOException {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults()); Conversation c = new Conversation(sink.port())) {
      c.send("EHLO client.test");
      c.send("MAIL FROM:<>");
      c.send("RCPT TO:<x@example.com>");
      assertThat(c.sendRaw("BDAT 5 LAST\r\nhello")).containsExactly("250 2.0.0 Ok: queued as 1");

      assertThat(sink.messageCount()).isEqualTo(1);
      assertThat(sink.byteCount()).isEqualTo(5);
      assertThat(sink.received()).isEmpty();
    }
  }

  @Test
  void aMessageIdLedgerCountsCopiesWithoutKeepingTheMessages() throws IOException {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessageIds(true)); Conversation c = new Conversation(sink.port())) {
      c.send("EHLO client.test");
      for (String message : new String[] {"Subject: a\r\nMessage-ID: <one@x>\r\n\r\nbody\r\n",
          "message-id:\r\n <one@x>\r\nSubject: again\r\n\r\nbody\r\n", "Subject: none\r\n\r\nMessage-ID: <body@x>\r\n"}) {
        c.send("MAIL FROM:<>");
        c.send("RCPT TO:<x@example.com>");
        assertThat(c.sendRaw("BDAT " + message.length() + " LAST\r\n" + message)).hasSize(1);
      }

      assertThat(sink.messageIds()).containsExactlyInAnyOrderEntriesOf(Map.of("<one@x>", 2L, "", 1L));
      assertThat(sink.received()).isEmpty();
    }
  }

  @Test
  void scriptedFaultAnswersTheFirstOccurrenceAndLaterOnesAreNormal() throws IOException {
    SinkOptions options = SinkOptions.defaults().keepingMessages(true).withExtensions("SIZE")
        .withFaults("MAIL", SinkFault.reply(451, "4.3.0 Try later"));
    try (SmtpSink sink = SmtpSink.start(options); Conversation c = new Conversation(sink.port())) {
      assertThat(c.send("EHLO client.test")).containsExactly("250-sink.runnel.local", "250 SIZE 67108864");
      assertThat(c.send("MAIL FROM:<a@example.com>")).containsExactly("451 4.3.0 Try later");
      assertThat(c.send("MAIL FROM:<a@example.com>")).containsExactly("250 2.1.0 Ok");

      assertThat(sink.commands()).extracting(SinkCommand::verb).containsExactly("EHLO", "MAIL", "MAIL");
      assertThat(sink.peers()).singleElement().satisfies(p -> assertThat(p.getAddress().isLoopbackAddress()).isTrue());
    }
  }

  @Test
  void droppedEndOfDataClosesTheConnectionWithoutRecording() throws IOException {
    SinkOptions options = SinkOptions.defaults().keepingMessages(true).withFaults(".", new SinkFault.Drop());
    try (SmtpSink sink = SmtpSink.start(options); Conversation c = new Conversation(sink.port())) {
      c.send("EHLO client.test");
      c.send("MAIL FROM:<a@example.com>");
      c.send("RCPT TO:<b@example.com>");
      c.send("DATA");
      assertThatThrownBy(() -> c.send("body\r\n.")).hasMessage("connection closed");
      assertThat(sink.received()).isEmpty();
    }
  }

  @Test
  void closedSinkRefusesConnections() throws IOException {
    SmtpSink sink = SmtpSink.start(SinkOptions.defaults());
    int port = sink.port();
    assertThat(port).isPositive();

    sink.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  /** A line-at-a-time SMTP client; each call waits for one complete reply. */
  private static final class Conversation implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Conversation(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
      out = socket.getOutputStream();
      assertThat(readReply()).singleElement().asString().startsWith("220 ");
    }

    /** Sends one command line and reads its reply. */
    List<String> send(String line) throws IOException {
      return sendRaw(line + "\r\n");
    }

    List<String> sendRaw(String bytes) throws IOException {
      out.write(bytes.getBytes(US_ASCII));
      out.flush();
      return readReply();
    }

    private List<String> readReply() throws IOException {
      List<String> lines = new ArrayList<>();
      String line;
      do {
        line = in.readLine();
        if (line == null) throw new IOException("connection closed");
        lines.add(line);
      } while (line.length() > 3 && line.charAt(3) == '-');
      return lines;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
