package io.runnel.sdk.loadgen;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageFactoryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static MessageFactory factory(int size) {
    return new MessageFactory(LoadOptions.defaults(2525).withSize(size), CLOCK);
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 1 << 20, 1000, 333})
  void messageHasExactlyTheRequestedSize(int size) {
    assertThat(factory(size).message(7).content()).hasSize(size);
    assertThat(factory(size).message(123_456).content()).hasSize(size);
  }

  @Test
  void everySizeFromTheHeadersUpwardIsHitExactly() {
    int headers = headerBytes(factory(4096).message(5).content());
    for (int size = headers; size < headers + 300; size++) {
      byte[] content = factory(size).message(5).content();
      assertThat(content).as("size %d", size).hasSize(size);
      assertThat(endsWithCrlf(content)).as("size %d ends with CRLF", size).isTrue();
    }
  }

  @Test
  void linesEndInCrlfAndStayWithinSeventyEightCharacters() {
    String text = new String(factory(64 * 1024).message(1).content(), US_ASCII);
    assertThat(text).doesNotContainPattern("[^\r]\n").doesNotContainPattern("\r[^\n]");
    for (String line : text.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(76);
  }

  @Test
  void bodyContainsLinesStartingWithADotSoServersUnstuff() {
    String text = new String(factory(4096).message(1).content(), US_ASCII);
    assertThat(text).contains("\r\n.");
  }

  @Test
  void dotStuffingDoublesALeadingDotOnEveryLine() {
    byte[] content = ".first\r\nplain\r\n..two\r\nmid.dot\r\n.\r\n".getBytes(US_ASCII);
    assertThat(new String(DotStuffer.stuffed(content), US_ASCII))
        .isEqualTo("..first\r\nplain\r\n...two\r\nmid.dot\r\n..\r\n.\r\n");
  }

  @Test
  void dotStuffingLeavesADotAfterABareLineFeedAlone() {
    byte[] content = "a\n.b\r\n".getBytes(US_ASCII);
    assertThat(new String(DotStuffer.stuffed(content), US_ASCII)).isEqualTo("a\n.b\r\n.\r\n");
  }

  @Test
  void stuffedGeneratedMessageEndsWithOneEndOfDataMark() {
    byte[] content = factory(4096).message(1).content();
    String stuffed = new String(DotStuffer.stuffed(content), US_ASCII);
    assertThat(stuffed).endsWith("\r\n.\r\n").contains("\r\n..");
    assertThat(stuffed.indexOf("\r\n.\r\n")).isEqualTo(stuffed.length() - 5);
  }

  @Test
  void recipientsFollowThePatternWithOneNumberPerRecipient() {
    LoadOptions options = new LoadOptions("127.0.0.1", 2525, 10, SizeMix.single(4096), 1, "a@example.com",
        "rcpt%d@example.net", 3, "loadgen.local", false, 0, Duration.ofSeconds(5), 0, 1, TrafficOptions.DEFAULTS);
    assertThat(new MessageFactory(options, CLOCK).recipients(2))
        .containsExactly("rcpt6@example.net", "rcpt7@example.net", "rcpt8@example.net");
  }

  @Test
  void domainsSpreadRecipientsRoundRobinOverThePattern() {
    LoadOptions options = LoadOptions.defaults(2525).withRecipients("rcpt%d@example.net", 2)
        .withTraffic(TrafficOptions.DEFAULTS.withDomains(3, "d{n}.bench.test"));
    MessageFactory f = new MessageFactory(options, CLOCK);
    assertThat(f.recipients(0)).containsExactly("rcpt0@d0.bench.test", "rcpt1@d1.bench.test");
    assertThat(f.recipients(1)).containsExactly("rcpt2@d2.bench.test", "rcpt3@d0.bench.test");
    assertThat(new String(f.message(1).content(), US_ASCII)).contains("To: <rcpt2@d2.bench.test>,\r\n <rcpt3@d0.bench.test>");
  }

  @Test
  void sizeMixGivesEachMessageOneOfItsSizesInAboutItsShare() {
    SizeMix mix = SizeMix.parse("4k:90, 100k:10");
    MessageFactory f = new MessageFactory(LoadOptions.defaults(2525).withSizes(mix), CLOCK);
    long large = 0;
    for (long n = 0; n < 2000; n++) {
      int size = f.message(n).content().length;
      assertThat(size).isIn(4096, 100 * 1024).isEqualTo(mix.sizeOf(n));
      if (size > 4096) large++;
    }
    assertThat(large).isBetween(150L, 250L);
  }

  @Test
  void badSizeMixesAreRefusedNamingThePart() {
    assertThatThrownBy(() -> SizeMix.parse("4k:90,100k")).hasMessageContaining("'100k'");
    assertThatThrownBy(() -> SizeMix.parse("4k:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> SizeMix.parse("4k:0")).hasMessageContaining("weight must be > 0");
    assertThatThrownBy(() -> SizeMix.parse("4q:1")).hasMessageContaining("not a size");
  }

  @Test
  void sizeSmallerThanTheHeadersIsRefused() {
    assertThatThrownBy(() -> factory(100).message(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("smaller than the headers");
  }

  @Test
  void sameNumberAndClockGiveTheSameBytes() {
    assertThat(factory(4096).message(42).content()).isEqualTo(factory(4096).message(42).content());
  }

  private static int headerBytes(byte[] content) {
    return new String(content, US_ASCII).indexOf("\r\n\r\n") + 4;
  }

  private static boolean endsWithCrlf(byte[] b) {
    return b.length >= 2 && b[b.length - 2] == '\r' && b[b.length - 1] == '\n';
  }
}
