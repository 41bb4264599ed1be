package io.runnel.sdk.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.sdk.dkim.DkimVerifier.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signatures made by an independent signer (dkimpy) verify; changed messages and other keys do not. */
class DkimVerifierTest {

  static final String MESSAGE = "From: Joe SixPack <joe@example.com>\r\nTo: Suzie Q <suzie@shopping.example.net>\r\n"
      + "Subject: Is dinner   ready?\r\n  folded\t too \r\nDate: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
      + "Message-ID: <20030712040037.46341.5F8J@example.com>\r\n\r\nHi.\r\n\r\nWe lost the game.  Are you hungry yet?  \r\n"
      + "\r\n.leading dot\r\n\tJoe.\r\n\r\n\r\n";

  static KeyPair rsa;
  static KeyPair ed;

  @TempDir
  Path work;

  @BeforeAll
  static void keys() throws Exception {
    Dkimpy.require();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    rsa = g.generateKeyPair();
    ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"rsa-sha256, relaxed/relaxed", "rsa-sha256, simple/simple", "rsa-sha256, relaxed/simple",
      "ed25519-sha256, relaxed/relaxed", "ed25519-sha256, simple/relaxed"})
  void signatureOfAnIndependentSignerPasses(String algorithm, String canonicalization) throws Exception {
    KeyPair keys = algorithm.startsWith("rsa") ? rsa : ed;
    byte[] signed = Dkimpy.sign(work, MESSAGE.getBytes(ISO_8859_1), keys, algorithm, canonicalization);

    DkimVerifier.Result result = new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(keys))).verify(signed);

    assertThat(result.status()).as(result.detail()).isEqualTo(Status.PASS);
  }

  @Test
  void changedBodyFailsOnTheBodyHash() throws Exception {
    String signed = new String(Dkimpy.sign(work, MESSAGE.getBytes(ISO_8859_1), rsa, "rsa-sha256", "relaxed/relaxed"),
        ISO_8859_1);

    DkimVerifier.Result result = new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(rsa)))
        .verify(signed.replace("hungry", "angry").getBytes(ISO_8859_1));

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.detail()).contains("body hash");
  }

  @Test
  void changedSignedHeaderFailsOnTheSignature() throws Exception {
    String signed = new String(Dkimpy.sign(work, MESSAGE.getBytes(ISO_8859_1), ed, "ed25519-sha256", "relaxed/relaxed"),
        ISO_8859_1);

    DkimVerifier.Result result = new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(ed)))
        .verify(signed.replace("Subject: Is dinner", "Subject: Was dinner").getBytes(ISO_8859_1));

    assertThat(result.status()).isEqualTo(Status.FAIL);
    assertThat(result.detail()).contains("signature mismatch");
  }

  @Test
  void anotherKeyOfTheSameFamilyFails() throws Exception {
    byte[] signed = Dkimpy.sign(work, MESSAGE.getBytes(ISO_8859_1), rsa, "rsa-sha256", "relaxed/relaxed");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);

    DkimVerifier.Result result = new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(g.generateKeyPair()))).verify(signed);

    assertThat(result.status()).isEqualTo(Status.FAIL);
  }

  @Test
  void messageWithoutASignatureOfTheKeysFamilyIsNone() throws Exception {
    byte[] edSigned = Dkimpy.sign(work, MESSAGE.getBytes(ISO_8859_1), ed, "ed25519-sha256", "relaxed/relaxed");
    DkimVerifier verifier = new DkimVerifier(DkimPublicKey.parse(Dkimpy.record(rsa)));

    assertThat(verifier.verify(edSigned).status()).isEqualTo(Status.NONE);
    assertThat(verifier.verify(MESSAGE.getBytes(ISO_8859_1)).status()).isEqualTo(Status.NONE);
  }

  @Test
  void keyFilesHoldPemOrTheDnsRecordWithZoneSyntax() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Path pemFile = Files.writeString(work.resolve("rsa.pem"), pem);
    Path zoneFile = Files.writeString(work.resolve("ed.txt"),
        "sel._domainkey.example.com. IN TXT \"" + Dkimpy.record(ed).replace("p=", "\" \"p=") + "\"\n");

    assertThat(DkimPublicKey.read(pemFile).algorithm()).isEqualTo("rsa");
    assertThat(DkimPublicKey.read(zoneFile).key()).isEqualTo(ed.getPublic());
    Path bad = Files.writeString(work.resolve("bad.txt"), "nothing here");
    assertThatThrownBy(() -> DkimPublicKey.read(bad)).hasMessageContaining("bad.txt").hasMessageContaining("p=");
  }
}
