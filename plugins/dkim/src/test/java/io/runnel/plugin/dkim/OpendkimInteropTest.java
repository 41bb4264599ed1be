package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.HeaderField;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libopendkim as a second, independent implementation. opendkim-testmsg verifies only through real DNS, which tests
 * must not use, so it signs instead (rsa-sha1, relaxed/simple, RSA only) and our canonicalisation must reproduce its
 * bh= and make its b= verify with the public key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpendkimInteropTest {

    private TestKeys rsa;

    @BeforeAll
    void generateKey() throws Exception {
        Verifiers.opendkimTestmsg();
        rsa = TestKeys.rsa(2048);
    }

    @ParameterizedTest
    @EnumSource(Messages.class)
    void ourCanonicalisationAgreesWithOpendkimsSignature(Messages m, @TempDir Path work) throws Exception {
        ByteMessage message = m.message();
        Path key = rsa.writePkcs1(work.resolve("key.pem"));

        ByteMessage signed = ByteMessage.parse(
                Verifiers.signWithOpendkim(work, message.toBytes(List.of()), "example.com", "sel", key));

        HeaderField field = signed.headers().get(0);
        assertThat(field.name()).isEqualTo("DKIM-Signature");
        String text = new String(field.raw(), StandardCharsets.ISO_8859_1);
        Map<String, String> tags = TestData.tags(text);
        assertThat(tags).containsEntry("c", "relaxed/simple").containsEntry("a", "rsa-sha1");
        byte[] bh = new BodyHasher(Canonicalization.SIMPLE, "SHA-1").hashAll(message.openBody());
        assertThat(Base64.getEncoder().encodeToString(bh)).isEqualTo(tags.get("bh"));

        List<HeaderField> rest = signed.headers().subList(1, signed.headers().size());
        List<HeaderField> fields = HeaderSelector.fieldsFor(rest, Arrays.asList(tags.get("h").split(":")));
        byte[] data = SignedData.of(fields, Canonicalization.RELAXED, TestData.unsignedTemplate(text));
        Signature verifier = Signature.getInstance("SHA1withRSA");
        verifier.initVerify(rsa.pair().getPublic());
        verifier.update(data);
        assertThat(verifier.verify(Base64.getDecoder().decode(tags.get("b")))).isTrue();
    }
}
