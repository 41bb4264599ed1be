package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import io.runnel.api.sign.MessageSigner;
import io.runnel.api.sign.SigningRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DKIM signer (RFC 6376, RFC 8463). For each signing domain (the request's, else the From domain) every matching
 * key signs (only the request's selector, when it names one): a tenant's own keys win over tenant-less ones. Keys are parsed once, at construction; signing keeps
 * no state, so concurrent calls are safe.
 */
@Extension
public final class DkimSigner implements MessageSigner {

    private static final Logger log = LoggerFactory.getLogger(DkimSigner.class);

    private final List<DkimKey> keys;
    private final SigningCrypto crypto;
    private final Clock clock;

    public DkimSigner(PluginContext context) throws PluginConfigException {
        DkimConfig.Loaded loaded = DkimConfig.read(context.config(), context.home());
        this.keys = loaded.keys();
        this.crypto = loaded.crypto();
        this.clock = context.clock();
        log.info("DKIM signs with {}; keys: {}", crypto.description(), keys.size());
    }

    @Override
    public List<HeaderField> sign(SigningRequest request) throws Exception {
        MessageView message = request.message();
        List<HeaderField> headers = message.headers();
        List<DkimKey> chosen = new ArrayList<>();
        for (String domain : signingDomains(request, headers)) {
            chosen.addAll(keysFor(domain, request.tenant(), request.selector()));
        }
        if (chosen.isEmpty()) {
            return List.of();
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<Canonicalization, byte[]> bodyHashes = new EnumMap<>(Canonicalization.class);
        List<HeaderField> signatures = new ArrayList<>(chosen.size());
        for (DkimKey key : chosen) {
            SigningPolicy policy = key.policy();
            byte[] bodyHash = bodyHashes.get(policy.bodyCanonicalization());
            if (bodyHash == null) {
                bodyHash = hashBody(message, policy.bodyCanonicalization());
                bodyHashes.put(policy.bodyCanonicalization(), bodyHash);
            }
            signatures.add(signature(crypto, key, headers, bodyHash, timestamp));
        }
        return List.copyOf(signatures);
    }

    static HeaderField signature(SigningCrypto crypto, DkimKey key, List<HeaderField> headers, byte[] bodyHash,
                                 long timestamp) throws GeneralSecurityException {
        SigningPolicy policy = key.policy();
        List<String> names = HeaderSelector.signedNames(headers, policy.headers(), policy.overSign());
        String unsigned = SignatureFormatter.unsigned(key, timestamp, names, bodyHash);
        byte[] b = SignedData.sign(crypto, key.algorithm(), key.privateKey(), HeaderSelector.fieldsFor(headers, names),
                policy.headerCanonicalization(), unsigned);
        String field = SignatureFormatter.complete(unsigned, b);
        return new HeaderField(SignatureFormatter.FIELD_NAME, field.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hashBody(MessageView message, Canonicalization mode) throws IOException {
        try (InputStream body = message.openBody()) {
            return BodyHasher.hash(mode, body);
        }
    }

    private static Set<String> signingDomains(SigningRequest request, List<HeaderField> headers) {
        Set<String> domains = new LinkedHashSet<>();
        if (!request.signingDomains().isEmpty()) {
            request.signingDomains().forEach(d -> domains.add(DkimKey.normalizeDomain(d)));
        } else {
            FromDomain.of(headers).ifPresent(domains::add);
        }
        return domains;
    }

    /** The domain's keys (only the selector's, when the request names one); a tenant's own keys win. */
    private List<DkimKey> keysFor(String domain, Optional<String> tenant, Optional<String> selector) {
        List<DkimKey> forDomain = keys.stream().filter(k -> k.signsFor(domain))
                .filter(k -> selector.map(k.selector()::equals).orElse(true)).toList();
        if (tenant.isPresent()) {
            List<DkimKey> tenants = forDomain.stream().filter(k -> k.tenant().equals(tenant)).toList();
            if (!tenants.isEmpty()) {
                return tenants;
            }
        }
        return forDomain.stream().filter(k -> k.tenant().isEmpty()).toList();
    }
}
