package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.api.mail.HeaderField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors in testdata/dkim: body hashes of every passing signature, b= of every sign vector. */
class VectorTest {

    private final Path dir = TestData.dkimDir();

    @TestFactory
    Stream<DynamicTest> bodyHashOfEveryPassingSignatureIsReproduced() throws IOException {
        return TestData.expectedRows().stream()
                .filter(row -> row.get("expected_result").equals("pass") && !row.get("expected_bh").isEmpty())
                .map(row -> DynamicTest.dynamicTest(name(row), () -> {
                    Vector v = Vector.load(dir, row);
                    if (v.tags().containsKey("l")) {
                        return; // body length limits are a verifier concern; no such vector is a sign vector
                    }
                    Canonicalization body = Canonicalization.parse(bodyCanon(v.tags())).orElseThrow();
                    String hash = v.tags().get("a").endsWith("sha1") ? "SHA-1" : "SHA-256";
                    byte[] bh = new BodyHasher(body, hash).hashAll(v.message().openBody());
                    assertThat(Base64.getEncoder().encodeToString(bh)).isEqualTo(row.get("expected_bh"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> signatureOfEverySignVectorIsReproducedByteForByte() throws IOException {
        return signVectors(SigningCrypto.jdk(""));
    }

    /** The bundled native provider, through the same key conversion signing uses. */
    @TestFactory
    Stream<DynamicTest> awsLcReproducesEverySignVectorByteForByte() throws Exception {
        return signVectors(SigningCrypto.awsLc());
    }

    private Stream<DynamicTest> signVectors(SigningCrypto crypto) throws IOException {
        List<Map<String, String>> rows = TestData.expectedRows().stream()
                .filter(row -> row.get("expected_result").equals("pass") && !row.get("expected_b").isEmpty())
                .toList();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(27);
        return rows.stream().map(row -> DynamicTest.dynamicTest(name(row), () -> {
            Vector v = Vector.load(dir, row);
            SignatureAlgorithm algorithm = SignatureAlgorithm.parse(row.get("a")).orElseThrow();
            PrivateKey key = crypto.prepare(privateKey(row).orElseGet(() -> fail("no private key known for " + name(row))),
                    algorithm, false);
            Canonicalization headerCanon = Canonicalization.parse(row.get("c").split("/")[0]).orElseThrow();
            List<String> h = Arrays.asList(v.tags().get("h").split(":"));
            List<HeaderField> fields = HeaderSelector.fieldsFor(v.unsignedHeaders(), h);
            byte[] b = SignedData.sign(crypto, algorithm, key, fields, headerCanon, TestData.unsignedTemplate(v.field()));
            assertThat(Base64.getEncoder().encodeToString(b)).isEqualTo(row.get("expected_b"));
        }));
    }

    private static String bodyCanon(Map<String, String> tags) {
        String c = tags.getOrDefault("c", "simple/simple");
        return c.contains("/") ? c.split("/")[1] : "simple";
    }

    private static String name(Map<String, String> row) {
        return row.get("file") + "#" + row.get("sig_index");
    }

    /** Which vector key signed a row: by set, selector and algorithm (see the folder READMEs). */
    private Optional<PrivateKey> privateKey(Map<String, String> row) throws Exception {
        boolean ed = row.get("a").startsWith("ed25519");
        String set = row.get("set");
        String s = row.get("s");
        if (set.equals("generated-dkimpy")) {
            return Optional.of(switch (s) {
                case "rsa2048" -> pem("generated-dkimpy/inputs/rsa2048-private.pem");
                case "rsa1024" -> pem("generated-dkimpy/inputs/rsa1024-rfc6376-private.pem");
                default -> seed("generated-dkimpy/inputs/ed25519-rfc8032-seed.b64");
            });
        }
        if (set.equals("mail-auth") && s.equals("default")) {
            return Optional.of(pem("mail-auth/keys/rsa2048-private.pem"));
        }
        if (set.equals("go-msgauth") && s.equals("brisbane")) {
            return Optional.of(ed ? seed("go-msgauth/keys/ed25519-private-seed.b64")
                    : pem("go-msgauth/keys/rsa1024-rfc6376-private.pem"));
        }
        if (s.equals("brisbane") && ed) {
            return Optional.of(seed("rfc8463-appendix-a/keys/ed25519-private-seed.b64"));
        }
        if (s.equals("test")) {
            return Optional.of(pem("rfc8463-appendix-a/keys/rsa1024-private.pem"));
        }
        return Optional.empty();
    }

    private PrivateKey pem(String file) throws Exception {
        return PemKeys.parse(Files.readString(dir.resolve(file), StandardCharsets.US_ASCII));
    }

    private PrivateKey seed(String file) throws Exception {
        byte[] seed = Base64.getDecoder().decode(Files.readString(dir.resolve(file)).strip());
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(TestKeys.ed25519Pkcs8(seed)));
    }

    /** A signed vector message and its signature at {@code sig_index}. */
    record Vector(ByteMessage message, String field, Map<String, String> tags, List<HeaderField> unsignedHeaders) {

        static Vector load(Path dir, Map<String, String> row) throws IOException {
            ByteMessage message = ByteMessage.parse(Files.readAllBytes(dir.resolve(row.get("file"))));
            List<HeaderField> signatures = message.headers().stream().filter(f -> f.hasName("DKIM-Signature"))
                    .toList();
            HeaderField signature = signatures.get(Integer.parseInt(row.get("sig_index")));
            String field = new String(signature.raw(), StandardCharsets.ISO_8859_1);
            return new Vector(message, field, TestData.tags(field), message.headers());
        }
    }
}
