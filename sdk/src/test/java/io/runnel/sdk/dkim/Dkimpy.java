package io.runnel.sdk.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** dkimpy (Debian's python3-dkim) as the independent signer the verifier is checked against. */
final class Dkimpy {

  private static final String SIGN = String.join("\n",
      "import sys, dkim",
      "msg = open(sys.argv[1], 'rb').read()",
      "key = open(sys.argv[2], 'rb').read()",
      "hc, bc = sys.argv[4].encode().split(b'/')",
      "sig = dkim.sign(msg, b'sel', b'example.com', key, canonicalize=(hc, bc),",
      "                signature_algorithm=sys.argv[3].encode(),",
      "                include_headers=[b'from', b'to', b'subject', b'date'])",
      "sys.stdout.buffer.write(sig + msg)",
      "");

  private Dkimpy() {
  }

  /** Skipped locally when python3-dkim is missing, a failure on CI. */
  static void require() throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim").redirectErrorStream(true).start();
    if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return;
    if ("true".equals(System.getenv("CI"))) fail("python3-dkim is required on CI");
    Assumptions.abort("python3-dkim not installed");
  }

  /** {@code message} with the DKIM-Signature dkimpy puts on it, for d=example.com s=sel. */
  static byte[] sign(Path work, byte[] message, KeyPair keys, String algorithm, String canonicalization)
      throws Exception {
    Path eml = Files.write(work.resolve("msg-" + System.nanoTime() + ".eml"), message);
    Path key = Files.writeString(work.resolve("key-" + System.nanoTime()), privateKey(keys));
    Path script = Files.writeString(work.resolve("sign.py"), SIGN);
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), eml.toString(), key.toString(), algorithm,
        canonicalization).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }

  /** The key's DNS TXT record, as a DKIM key file may hold it. */
  static String record(KeyPair keys) {
    byte[] spki = keys.getPublic().getEncoded();
    if (keys.getPublic().getAlgorithm().equals("RSA")) {
      return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
    }
    return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
  }

  /** PKCS#8 PEM for RSA; the base64 32-byte seed dkimpy takes for Ed25519. */
  private static String privateKey(KeyPair keys) {
    byte[] pkcs8 = keys.getPrivate().getEncoded();
    if (keys.getPrivate().getAlgorithm().equals("RSA")) {
      return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    }
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
  }
}
