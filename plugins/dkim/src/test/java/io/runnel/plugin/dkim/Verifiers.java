package io.runnel.plugin.dkim;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Independent DKIM implementations run as processes (test only), offline: dkimpy gets its DNS answers from a map,
 * opendkim-testmsg is only ever used to sign (its verify mode would query real DNS). A missing tool skips the
 * test, except on CI (CI=true), where it fails.
 */
final class Verifiers {

    private static final String DKIMPY_VERIFY = String.join("\n",
            "import sys, dkim",
            "msg = open(sys.argv[1], 'rb').read()",
            "records = {}",
            "for line in open(sys.argv[2], encoding='ascii'):",
            "    line = line.strip()",
            "    if line:",
            "        name, rec = line.split(' ', 1)",
            "        records[name.lower()] = rec.encode()",
            "def dns(name, timeout=5):",
            "    if isinstance(name, bytes): name = name.decode()",
            "    return records.get(name.rstrip('.').lower())",
            "d = dkim.DKIM(msg)",
            "n = sum(1 for k, v in d.headers if k.lower() == b'dkim-signature')",
            "results = [d.verify(idx=i, dnsfunc=dns) for i in range(n)]",
            "print(' '.join('pass' if r else 'fail' for r in results))",
            "sys.exit(0 if n > 0 and all(results) else 1)",
            "");

    private Verifiers() {
    }

    record Result(int exitCode, String output) {
    }

    /** A python3 that can {@code import dkim}; /usr/bin first, as a pyenv shim may hide the Debian module. */
    static String dkimpy() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                if (run(List.of(python, "-c", "import dkim"), null).exitCode() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // try the next one
            }
        }
        return missing("python3 with the dkim module (Debian python3-dkim)");
    }

    static String opendkimTestmsg() {
        for (String path : List.of("/usr/sbin/opendkim-testmsg", "/usr/bin/opendkim-testmsg")) {
            if (Files.isExecutable(Path.of(path))) {
                return path;
            }
        }
        return missing("opendkim-testmsg (Debian opendkim-tools)");
    }

    /** Verifies every DKIM-Signature of {@code message} with dkimpy ({@code python} from {@link #dkimpy()}); {@code dns} maps owner names to TXT. */
    static Result verifyWithDkimpy(String python, Path work, byte[] message, Map<String, String> dns)
            throws Exception {
        Path script = Files.writeString(work.resolve("verify.py"), DKIMPY_VERIFY);
        Path eml = Files.write(work.resolve("message.eml"), message);
        Path zone = Files.writeString(work.resolve("dns.txt"), dns.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        return run(List.of(python, script.toString(), eml.toString(), zone.toString()), null);
    }

    /** opendkim-testmsg signs {@code message} (it uses rsa-sha1, relaxed/simple) and returns the signed message. */
    static byte[] signWithOpendkim(Path work, byte[] message, String domain, String selector, Path key)
            throws Exception {
        Path in = Files.write(work.resolve("to-sign.eml"), message);
        Path out = work.resolve("signed.eml");
        Process p = new ProcessBuilder(opendkimTestmsg(), "-C", "-d", domain, "-s", selector, "-k", key.toString(),
                "-t", work.toString())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectErrorStream(false).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("opendkim-testmsg timed out");
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail("opendkim-testmsg failed: " + err);
        }
        return Files.readAllBytes(out);
    }

    private static Result run(List<String> command, Path input) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Optional.ofNullable(input).ifPresent(i -> builder.redirectInput(i.toFile()));
        Process p = builder.start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + output);
            }
            return new Result(p.exitValue(), output.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(-1, "interrupted");
        }
    }

    private static String missing(String what) {
        if (TestData.ci()) {
            fail(what + " is required on CI");
        }
        assumeTrue(false, what + " not installed; skipping");
        throw new AssertionError();
    }
}
