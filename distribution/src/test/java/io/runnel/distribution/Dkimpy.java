package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Keys in the forms DKIM needs, and dkimpy (Debian's python3-dkim) as the independent verifier of what arrived. */
final class Dkimpy {

    private static final String VERIFY = String.join("\n",
            "import sys, dkim",
            "msg = open(sys.argv[1], 'rb').read()",
            "records = dict(line.strip().split(' ', 1) for line in open(sys.argv[2]) if line.strip())",
            "def dns(name, timeout=5):",
            "    name = name.decode() if isinstance(name, bytes) else name",
            "    rec = records.get(name.rstrip('.').lower())",
            "    return rec.encode() if rec else None",
            "d = dkim.DKIM(msg)",
            "n = sum(1 for k, v in d.headers if k.lower() == b'dkim-signature')",
            "results = [d.verify(idx=i, dnsfunc=dns) for i in range(n)]",
            "print(n, ' '.join('pass' if r else 'fail' for r in results))",
            "sys.exit(0 if n > 0 and all(results) else 1)",
            "");

    private Dkimpy() {
    }

    /** dkimpy from Debian's python3; skipped locally when missing, a failure on CI. */
    static String python() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim").redirectErrorStream(true).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
            return "/usr/bin/python3";
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("python3-dkim is required on CI");
        }
        Assumptions.abort("python3-dkim not installed");
        return null;
    }

    /**
     * Verifies every DKIM-Signature of {@code message} against {@code zone} (lines "selector._domainkey.domain
     * record"); returns dkimpy's summary, e.g. "2 pass pass".
     */
    static String verify(String python, Path work, byte[] message, String zone) throws Exception {
        Path eml = Files.write(work.resolve("verify-" + System.nanoTime() + ".eml"), message);
        Path zoneFile = Files.writeString(work.resolve("zone-" + System.nanoTime() + ".txt"), zone);
        Path script = Files.writeString(work.resolve("verify.py"), VERIFY);
        Process p = new ProcessBuilder(python, script.toString(), eml.toString(), zoneFile.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    static KeyPair keys(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (bits > 0) {
            generator.initialize(bits);
        }
        return generator.generateKeyPair();
    }

    static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The DNS TXT record of an RSA key. */
    static String rsaRecord(KeyPair rsa) {
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
    }

    /** The DNS TXT record of an Ed25519 key: a SubjectPublicKeyInfo ends with the 32 raw bytes RFC 8463 publishes. */
    static String ed25519Record(KeyPair ed) {
        byte[] spki = ed.getPublic().getEncoded();
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }
}
