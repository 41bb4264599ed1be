package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.plugin.PluginConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DkimSignerTest {

    private TestKeys rsa;
    private TestKeys ed;

    @TempDir
    Path home;

    @BeforeAll
    void generateKeys() throws Exception {
        rsa = TestKeys.rsa(1024);
        ed = TestKeys.ed25519();
    }

    private static List<HeaderField> sign(DkimSigner signer, ByteMessage message, Optional<String> tenant,
                                          List<String> domains) throws Exception {
        return signer.sign(SignerFixture.request(message, tenant, domains));
    }

    @Test
    void signsForTheFromDomainWhenTheRequestNamesNone() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "s1", rsa, Map.of())
                .key("other.example", "s2", ed, Map.of()).signer();

        List<HeaderField> signatures = signer.sign(SignerFixture.request(Messages.EMPTY_BODY.message()));

        assertThat(signatures).singleElement().extracting(SignerFixture::text).asString()
                .contains("d=example.com;", "s=s1;", "t=" + SignerFixture.NOW + ";");
    }

    @Test
    void signsNothingWhenNoKeyMatchesTheDomain() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("elsewhere.example", "s1", rsa, Map.of()).signer();

        assertThat(signer.sign(SignerFixture.request(Messages.EMPTY_BODY.message()))).isEmpty();
    }

    @Test
    void tenantKeysWinOverTenantlessKeysAndOtherTenantsKeysAreNeverUsed() throws Exception {
        DkimSigner signer = new SignerFixture(home)
                .key("example.com", "shared", rsa, Map.of())
                .key("example.com", "acme1", ed, Map.of("tenant", "acme"))
                .key("example.com", "acme2", rsa, Map.of("tenant", "acme"))
                .key("example.com", "globex", ed, Map.of("tenant", "globex"))
                .signer();
        ByteMessage message = Messages.EMPTY_BODY.message();

        assertThat(sign(signer, message, Optional.of("acme"), List.of())).extracting(SignerFixture::text)
                .satisfiesExactly(s -> assertThat(s).contains("s=acme1;"), s -> assertThat(s).contains("s=acme2;"));
        assertThat(sign(signer, message, Optional.of("initech"), List.of())).extracting(SignerFixture::text)
                .singleElement().asString().contains("s=shared;");
        assertThat(sign(signer, message, Optional.empty(), List.of())).extracting(SignerFixture::text)
                .singleElement().asString().contains("s=shared;");
    }

    @Test
    void requestDomainsReplaceTheFromDomainAndKeepTheirOrder() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "s1", rsa, Map.of())
                .key("platform.example", "p1", ed, Map.of()).signer();

        List<HeaderField> signatures = sign(signer, Messages.EMPTY_BODY.message(), Optional.empty(),
                List.of("platform.example", "unknown.example"));

        assertThat(signatures).extracting(SignerFixture::text).singleElement().asString()
                .contains("d=platform.example;");
    }

    @Test
    void aRequestedSelectorSignsWithThatKeyOnly() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "old", rsa, Map.of())
                .key("example.com", "new", ed, Map.of()).signer();
        ByteMessage message = Messages.EMPTY_BODY.message();

        List<HeaderField> signatures = signer.sign(new io.runnel.api.sign.SigningRequest(message,
                SignerFixture.request(message).sender(), Optional.empty(), List.of("example.com"), Optional.of("new")));

        assertThat(signatures).extracting(SignerFixture::text).singleElement().asString()
                .contains("s=new;", "a=ed25519-sha256");
        assertThat(sign(signer, message, Optional.empty(), List.of("example.com"))).hasSize(2);
    }

    @Test
    void fieldIsFoldedAt76ColumnsWithCrlfTabAndTagsInOrder() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "s1", rsa, Map.of()).signer();

        HeaderField field = signer.sign(SignerFixture.request(
                Messages.FOLDED_HEADERS_AND_TRAILING_WHITESPACE.message())).get(0);

        String text = SignerFixture.text(field);
        assertThat(field.name()).isEqualTo("DKIM-Signature");
        assertThat(text).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;")
                .endsWith("\r\n").doesNotContain("\n\n");
        String[] lines = text.substring(0, text.length() - 2).split("\r\n", -1);
        assertThat(lines).hasSizeGreaterThan(3).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(76));
        assertThat(List.of(lines).subList(1, lines.length)).allSatisfy(l -> assertThat(l).startsWith("\t"));
        String unfolded = text.replace("\r\n\t", "");
        assertThat(unfolded.indexOf(" t=")).isLessThan(unfolded.indexOf(" h=")).isLessThan(unfolded.indexOf("bh="))
                .isLessThan(unfolded.lastIndexOf("b="));
    }

    @Test
    void overSigningListsEachHeaderOnceMoreThanItOccurs() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "s1", rsa,
                Map.of("headers", List.of("From", "To", "Subject", "Reply-To"))).signer();

        String text = SignerFixture.text(signer.sign(SignerFixture.request(Messages.EMPTY_BODY.message())).get(0));

        assertThat(TestData.tags(text).get("h")).isEqualTo("From:From:To:To:Subject:Subject:Reply-To");
    }

    @Test
    void withoutOverSigningOnlyPresentHeadersAreListed() throws Exception {
        DkimSigner signer = new SignerFixture(home).set("over_sign", false).key("example.com", "s1", rsa,
                Map.of("headers", List.of("From", "To", "Subject", "Reply-To"))).signer();

        String text = SignerFixture.text(signer.sign(SignerFixture.request(Messages.EMPTY_BODY.message())).get(0));

        assertThat(TestData.tags(text).get("h")).isEqualTo("From:To:Subject");
    }

    @Test
    void pkcs1RsaKeysAreReadLikePkcs8Ones() throws Exception {
        Path pem = rsa.writePkcs1(home.resolve("pkcs1.pem"));
        assertThat(Files.readString(pem)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(PemKeys.parse(Files.readString(pem)).getEncoded()).isEqualTo(rsa.privateKey().getEncoded());
    }

    @Test
    void missingKeyFileIsAConfigErrorNamingPrivateKey() {
        var config = Map.of("key", List.of(Map.of("domain", "example.com", "selector", "s1",
                "private_key", "keys/absent.pem")));

        assertThatThrownBy(() -> new DkimSigner(TestContext.of(home, 0, config)))
                .isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.dkim.key[0].private_key")
                .hasMessageContaining("absent.pem");
    }

    @Test
    void unknownKeyIsAConfigErrorNamingIt() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "s1", rsa, Map.of("selecter", "typo"));

        assertThatThrownBy(fixture::signer).isInstanceOf(PluginConfigException.class)
                .extracting(e -> ((PluginConfigException) e).key()).isEqualTo("plugins.dkim.key[0].selecter");
    }

    @Test
    void awsLcAndTheJdkSignTheSameBytes() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "r1", rsa, Map.of())
                .key("example.com", "e1", ed, Map.of());
        List<HeaderField> native_ = fixture.set("crypto", "aws-lc").signer().sign(SignerFixture.request(Messages.EMPTY_BODY.message()));
        List<HeaderField> jdk = fixture.set("crypto", "jdk").signer().sign(SignerFixture.request(Messages.EMPTY_BODY.message()));

        assertThat(native_).hasSize(2);
        assertThat(native_).extracting(SignerFixture::text).isEqualTo(jdk.stream().map(SignerFixture::text).toList());
    }

    @Test
    void unknownCryptoIsAConfigErrorNamingIt() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "s1", rsa, Map.of()).set("crypto", "openssl");

        assertThatThrownBy(fixture::signer).isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("auto, aws-lc or jdk")
                .extracting(e -> ((PluginConfigException) e).key()).isEqualTo("plugins.dkim.crypto");
    }

    @Test
    void unknownTopLevelKeyIsAConfigError() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "s1", rsa, Map.of())
                .set("oversign", true);

        assertThatThrownBy(fixture::signer).isInstanceOf(PluginConfigException.class)
                .extracting(e -> ((PluginConfigException) e).key()).isEqualTo("plugins.dkim.oversign");
    }

    @Test
    void rsaKeyUnder1024BitsIsRefused() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "s1", TestKeys.rsa(512), Map.of());

        assertThatThrownBy(fixture::signer).isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.dkim.key[0].private_key").hasMessageContaining("512 bits");
    }

    @Test
    void mailauthsSmallRsaKeyIsRefusedToo() throws Exception {
        Path small = TestData.dkimDir().resolve("mailauth/keys/private-small.pem");
        Files.copy(small, home.resolve("small.pem"));
        var config = Map.of("key", List.of(Map.of("domain", "example.com", "selector", "s1",
                "private_key", "small.pem")));

        assertThatThrownBy(() -> new DkimSigner(TestContext.of(home, 0, config)))
                .isInstanceOf(PluginConfigException.class).hasMessageContaining("bits");
    }

    @Test
    void badCanonicalizationAlgorithmMismatchAndNonKeyFilesAreConfigErrors() throws Exception {
        assertThatThrownBy(new SignerFixture(home).key("example.com", "s1", rsa,
                Map.of("body_canonicalization", "loose"))::signer)
                .hasMessageContaining("plugins.dkim.key[0].body_canonicalization");
        assertThatThrownBy(new SignerFixture(home).key("example.com", "s1", rsa,
                Map.of("algorithm", "ed25519-sha256"))::signer)
                .hasMessageContaining("plugins.dkim.key[0].algorithm");
        Files.writeString(home.resolve("junk.pem"), "not a key", StandardCharsets.US_ASCII);
        var config = Map.of("key", List.of(Map.of("domain", "example.com", "selector", "s1",
                "private_key", "junk.pem")));
        assertThatThrownBy(() -> new DkimSigner(TestContext.of(home, 0, config)))
                .hasMessageContaining("plugins.dkim.key[0].private_key");
    }

    @Test
    void headersWithoutFromAreAConfigError() throws Exception {
        SignerFixture fixture = new SignerFixture(home).key("example.com", "s1", rsa,
                Map.of("headers", List.of("To", "Subject")));

        assertThatThrownBy(fixture::signer).hasMessageContaining("plugins.dkim.key[0].headers")
                .hasMessageContaining("From");
    }

    @Test
    void noKeysAtAllIsAConfigError() {
        assertThatThrownBy(() -> new DkimSigner(TestContext.of(home, 0, Map.of())))
                .isInstanceOf(PluginConfigException.class).hasMessageContaining("plugins.dkim.key");
    }

    @Test
    void explicitAlgorithmMatchingTheKeyIsAccepted() throws Exception {
        DkimSigner signer = new SignerFixture(home).key("example.com", "s1", ed,
                Map.of("algorithm", "ed25519-sha256")).signer();

        assertThat(SignerFixture.text(signer.sign(SignerFixture.request(Messages.EMPTY_BODY.message())).get(0)))
                .contains("a=ed25519-sha256;");
    }
}
