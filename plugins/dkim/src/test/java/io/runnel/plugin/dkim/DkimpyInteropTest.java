package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our signatures checked by an independent verifier: dkimpy (python3-dkim), DNS answered from a map. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DkimpyInteropTest {

    private String python;
    private TestKeys rsa1024;
    private TestKeys rsa2048;
    private TestKeys ed25519;

    @BeforeAll
    void generateKeys() throws Exception {
        python = Verifiers.dkimpy(); // skips (or fails on CI) before spending time on keys
        rsa1024 = TestKeys.rsa(1024);
        rsa2048 = TestKeys.rsa(2048);
        ed25519 = TestKeys.ed25519();
    }

    Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (String key : List.of("rsa1024", "rsa2048", "ed25519")) {
            for (String c : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed")) {
                for (Messages m : Messages.values()) {
                    all.add(Arguments.of(key, c, m));
                }
            }
        }
        return all.stream();
    }

    private TestKeys keys(String name) {
        return switch (name) {
            case "rsa1024" -> rsa1024;
            case "rsa2048" -> rsa2048;
            default -> ed25519;
        };
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void dkimpyVerifiesOurSignature(String key, String c, Messages m, @TempDir Path home) throws Exception {
        String[] canon = c.split("/");
        SignerFixture fixture = new SignerFixture(home).key("example.com", "sel", keys(key),
                Map.of("header_canonicalization", canon[0], "body_canonicalization", canon[1]));
        ByteMessage message = m.message();

        List<HeaderField> signatures = fixture.signer().sign(SignerFixture.request(message));

        assertThat(signatures).hasSize(1);
        assertThat(SignerFixture.text(signatures.get(0))).contains("c=" + c + ";");
        Verifiers.Result result =
                Verifiers.verifyWithDkimpy(python, home, message.toBytes(signatures), fixture.dns());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo("pass");
    }

    @Test
    void dkimpyRejectsOurSignatureOnceTheBodyChanges(@TempDir Path home) throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "sel", rsa2048, Map.of());
        ByteMessage message = Messages.FOLDED_HEADERS_AND_TRAILING_WHITESPACE.message();
        List<HeaderField> signatures = fixture.signer().sign(SignerFixture.request(message));

        byte[] signed = message.toBytes(signatures);
        String tampered = new String(signed, StandardCharsets.ISO_8859_1).replace("We lost", "We won");

        Verifiers.Result result = Verifiers.verifyWithDkimpy(python, home,
                tampered.getBytes(StandardCharsets.ISO_8859_1), fixture.dns());
        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @Test
    void dkimpyVerifiesBothSignaturesOfATenantAndAPlatformDomain(@TempDir Path home) throws Exception {
        SignerFixture fixture = new SignerFixture(home)
                .key("tenant.example", "t1", ed25519, Map.of("tenant", "acme"))
                .key("platform.example", "p1", rsa2048, Map.of());
        ByteMessage message = Messages.EIGHT_BIT_BODY.message();

        List<HeaderField> signatures = fixture.signer().sign(SignerFixture.request(message, Optional.of("acme"),
                List.of("tenant.example", "platform.example")));

        assertThat(signatures).extracting(SignerFixture::text)
                .satisfiesExactly(s -> assertThat(s).contains("d=tenant.example;", "a=ed25519-sha256;"),
                        s -> assertThat(s).contains("d=platform.example;", "a=rsa-sha256;"));
        Path work = Files.createDirectories(home.resolve("verify"));
        Verifiers.Result result =
                Verifiers.verifyWithDkimpy(python, work, message.toBytes(signatures), fixture.dns());
        assertThat(result.output()).isEqualTo("pass pass");
    }
}
