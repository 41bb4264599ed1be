package io.runnel.sdk.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.sdk.sink.DkimSample;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkStats;
import io.runnel.sdk.sink.SmtpSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink checks every N-th message's signature as it arrives over SMTP (DATA, dot-stuffed). */
class SinkDkimSampleTest {

  @TempDir
  Path work;

  @Test
  void everyNthMessageIsCheckedAndCountedAsPassFailOrNone() throws Exception {
    Dkimpy.require();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair rsa = g.generateKeyPair();
    byte[] good = Dkimpy.sign(work, DkimVerifierTest.MESSAGE.getBytes(ISO_8859_1), rsa, "rsa-sha256", "relaxed/simple");
    byte[] tampered = new String(good, ISO_8859_1).replace("hungry", "HUNGRY").getBytes(ISO_8859_1);
    byte[] unsigned = DkimVerifierTest.MESSAGE.getBytes(ISO_8859_1);
    SinkOptions options = SinkOptions.defaults()
        .withDkimSample(new DkimSample(new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(rsa))), 2));

    try (SmtpSink sink = SmtpSink.start(options)) {
      // numbers 1, 3, 5 are sampled: good, tampered, unsigned; 2 and 4 (tampered) are not looked at
      for (byte[] m : new byte[][] {good, tampered, tampered, tampered, unsigned}) send(sink.port(), m);

      SinkStats stats = sink.stats();
      assertThat(stats.messages()).isEqualTo(5);
      assertThat(stats.dkimChecked()).isEqualTo(3);
      assertThat(stats.dkimPass()).isEqualTo(1);
      assertThat(stats.dkimFail()).isEqualTo(1);
      assertThat(stats.dkimNone()).isEqualTo(1);
      assertThat(sink.received()).isEmpty();   // checking content does not mean keeping it
    }
  }

  private static void send(int port, byte[] message) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), ISO_8859_1))) {
      OutputStream out = s.getOutputStream();
      assertThat(in.readLine()).startsWith("220");
      String text = new String(message, ISO_8859_1).replace("\r\n.", "\r\n..");
      out.write(("EHLO t\r\nMAIL FROM:<joe@example.com>\r\nRCPT TO:<suzie@example.net>\r\nDATA\r\n").getBytes(ISO_8859_1));
      out.flush();
      String line;
      do {
        line = in.readLine();
      } while (!line.startsWith("354"));
      out.write((text + ".\r\nQUIT\r\n").getBytes(ISO_8859_1));
      out.flush();
      assertThat(in.readLine()).startsWith("250 2.0.0 Ok: queued");
    }
  }
}
