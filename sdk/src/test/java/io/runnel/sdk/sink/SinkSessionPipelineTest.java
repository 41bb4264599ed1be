package io.runnel.sdk.sink;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The framer and session together, fed in awkward chunks through an {@link EmbeddedChannel}. */
class SinkSessionPipelineTest {

  private SinkRecorder recorder;
  private EmbeddedChannel channel;

  private void open(SinkOptions options) {
    recorder = new SinkRecorder(options.keepMessages(), options.keepMessageIds(), options.faults(), java.time.Clock.systemUTC());
    SinkFrameDecoder decoder = new SinkFrameDecoder(1000, options.keepMessages(), options.maxMessageSize());
    channel = new EmbeddedChannel(decoder, SinkReplyEncoder.INSTANCE,
        new SinkSessionHandler(options, decoder, recorder));
    assertThat(replies()).containsExactly("220 sink.runnel.local ESMTP Runnel sink");
  }

  @AfterEach
  void finish() {
    assertThat(channel.finishAndReleaseAll()).as("unread outbound or inbound buffers").isFalse();
  }

  @Test
  void dataEndsOnlyOnCrlfDotCrlfAndIsUnstuffedExactly() {
    open(SinkOptions.defaults().keepingMessages(true));
    write("EHLO t\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
    assertThat(replies()).last().isEqualTo("354 End data with <CR><LF>.<CR><LF>");

    writeBytewise("..lead\r\na\n.\r\nb\r\n.\rc\r\n...\r\n.\r\n");

    assertThat(replies()).containsExactly("250 2.0.0 Ok: queued as 1");
    ReceivedMessage m = recorder.received().get(0);
    assertThat(new String(m.content(), US_ASCII)).isEqualTo(".lead\r\na\n.\r\nb\r\n\rc\r\n..\r\n");
    assertThat(m.sender()).isEqualTo("a@x");
    assertThat(m.recipients()).containsExactly("b@y");
  }

  @Test
  void commandsPipelinedBehindTheEndOfDataAreAnsweredInOrder() {
    open(SinkOptions.defaults());
    write("EHLO t\r\nMAIL FROM:<> SIZE=10\r\nRCPT TO:<b@y>\r\nDATA\r\n");
    replies();

    write("hello\r\n.\r\nMAIL FROM:<a@x>\r\nRSET\r\nQUIT\r\nNOOP\r\n");

    assertThat(replies()).containsExactly("250 2.0.0 Ok: queued as 1", "250 2.1.0 Ok", "250 2.0.0 Ok",
        "221 2.0.0 Bye");
    assertThat(recorder.messages()).isEqualTo(1);
    assertThat(recorder.bytes()).isEqualTo(7);
    assertThat(recorder.received()).isEmpty();
  }

  @Test
  void bdatChunksAreTakenByteExactEvenWhenTheyLookLikeEndOfData() {
    open(SinkOptions.defaults().keepingMessages(true));
    write("EHLO t\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\n");
    replies();

    writeBytewise("BDAT 7\r\n.\r\n\r\n.\rBDAT 3 LAST\r\nxyzNOOP\r\n");

    assertThat(replies()).containsExactly("250 2.0.0 7 octets received", "250 2.0.0 Ok: queued as 1",
        "250 2.0.0 Ok");
    assertThat(new String(recorder.received().get(0).content(), US_ASCII)).isEqualTo(".\r\n\r\n.\rxyz");
  }

  @Test
  void refusedBdatChunkIsStillConsumedSoItsBytesAreNotReadAsCommands() {
    open(SinkOptions.defaults());
    write("EHLO t\r\nBDAT 6 LAST\r\nQUIT\r\nNOOP\r\n");

    assertThat(replies()).containsExactly(
        "250-sink.runnel.local", "250-PIPELINING", "250-8BITMIME", "250-SMTPUTF8", "250-CHUNKING",
        "250-SIZE 67108864", "250 ENHANCEDSTATUSCODES", "503 5.5.1 Need MAIL first", "250 2.0.0 Ok");
    assertThat(recorder.messages()).isZero();
  }

  @Test
  void dataWithoutAcceptedRecipientsIsRefusedAndTheBodyIsNotExpected() {
    open(SinkOptions.defaults().withRecipientPolicy(r -> SinkReply.of(550, "5.1.1 No such user")));
    write("HELO t\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\nRSET\r\n");

    assertThat(replies()).containsExactly("250 sink.runnel.local", "250 2.1.0 Ok", "550 5.1.1 No such user",
        "554 5.5.1 No valid recipients", "250 2.0.0 Ok");
  }

  @Test
  void messageLargerThanTheLimitIsRefusedWith552() {
    open(SinkOptions.defaults().keepingMessages(true).withMaxMessageSize(10));
    write("EHLO t\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n");
    replies();

    write("0123456789abcdef\r\n.\r\nMAIL FROM:<a@x> SIZE=11\r\n");

    assertThat(replies()).containsExactly("552 5.3.4 Message too big", "552 5.3.4 Message too big");
    assertThat(recorder.messages()).isZero();
  }

  @Test
  void bareLineFeedInACommandIsRefused() {
    open(SinkOptions.defaults());
    write("EHLO t\nNOOP\r\n");

    assertThat(replies()).containsExactly("500 5.5.2 Bare LF; lines end with CRLF", "250 2.0.0 Ok");
  }

  @Test
  void commandsOutOfOrderGet503() {
    open(SinkOptions.defaults());
    write("MAIL FROM:<a@x>\r\nHELO t\r\nRCPT TO:<b@y>\r\nDATA\r\nFOO\r\n");

    assertThat(replies()).containsExactly("503 5.5.1 Send EHLO first", "250 sink.runnel.local",
        "503 5.5.1 Need MAIL first", "503 5.5.1 Need MAIL first", "500 5.5.2 Command not recognized");
  }

  private void write(String s) {
    channel.writeInbound(Unpooled.copiedBuffer(s, US_ASCII));
  }

  private void writeBytewise(String s) {
    for (byte b : s.getBytes(US_ASCII)) channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
  }

  /** Every reply line written since the last call. */
  private List<String> replies() {
    StringBuilder text = new StringBuilder();
    for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
      text.append(b.toString(US_ASCII));
      b.release();
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.toString().split("\r\n")) if (!line.isEmpty()) lines.add(line);
    return lines;
  }
}
