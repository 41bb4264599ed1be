package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.List;

/** The header hash input of RFC 6376 3.7: the selected fields, then this signature's own field with empty b=. */
final class SignedData {

    private SignedData() {
    }

    static byte[] of(List<HeaderField> fields, Canonicalization mode, String unsignedField) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(1024);
        for (HeaderField field : fields) {
            data.writeBytes(HeaderCanonicalizer.canonicalize(mode, field.raw()));
        }
        data.writeBytes(HeaderCanonicalizer.canonicalizeOwnSignature(mode, unsignedField));
        return data.toByteArray();
    }

    static byte[] sign(SigningCrypto crypto, SignatureAlgorithm algorithm, PrivateKey key, List<HeaderField> fields,
                       Canonicalization mode, String unsignedField) throws GeneralSecurityException {
        return algorithm.sign(crypto, key, of(fields, mode, unsignedField));
    }
}
