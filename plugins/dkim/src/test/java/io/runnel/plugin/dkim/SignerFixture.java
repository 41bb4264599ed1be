package io.runnel.plugin.dkim;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.sign.SigningRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a {@link DkimSigner} from generated keys written to a temp folder, plus the matching DNS (test only). */
final class SignerFixture {

    static final long NOW = 1_700_000_000L;

    private final Path home;
    private final Map<String, Object> top = new HashMap<>();
    private final List<Map<String, Object>> keys = new ArrayList<>();
    private final Map<String, String> dns = new HashMap<>();

    SignerFixture(Path home) {
        this.home = home;
        top.put("key", keys);
    }

    /** Adds a key entry; {@code extra} adds or overrides entry keys (tenant, canonicalisation...). */
    SignerFixture key(String domain, String selector, TestKeys pair, Map<String, Object> extra) throws Exception {
        Path pem = pair.writePkcs8(home.resolve(selector + "." + domain + ".pem"));
        Map<String, Object> entry = new HashMap<>(Map.of("domain", domain, "selector", selector,
                "private_key", home.relativize(pem).toString()));
        entry.putAll(extra);
        keys.add(entry);
        dns.put(selector + "._domainkey." + domain, pair.dnsRecord());
        return this;
    }

    SignerFixture set(String key, Object value) {
        top.put(key, value);
        return this;
    }

    DkimSigner signer() throws PluginConfigException {
        return new DkimSigner(TestContext.of(home, NOW, top));
    }

    Map<String, String> dns() {
        return Map.copyOf(dns);
    }

    static SigningRequest request(ByteMessage message) {
        return new SigningRequest(message, EmailAddress.parse("bounce@example.com"), Optional.empty(), List.of());
    }

    static SigningRequest request(ByteMessage message, Optional<String> tenant, List<String> domains) {
        return new SigningRequest(message, EmailAddress.parse("bounce@example.com"), tenant, domains);
    }

    static String text(HeaderField field) {
        return new String(field.raw(), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
