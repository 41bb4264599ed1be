package io.runnel.plugin.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.Base64;

/** Key pairs generated per test, written as PEM, and their DKIM DNS records (test only). */
record TestKeys(KeyPair pair, SignatureAlgorithm algorithm) {

    static TestKeys rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return new TestKeys(generator.generateKeyPair(), SignatureAlgorithm.RSA_SHA256);
    }

    static TestKeys ed25519() throws GeneralSecurityException {
        return new TestKeys(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                SignatureAlgorithm.ED25519_SHA256);
    }

    /** The private key as a PKCS#8 {@code PRIVATE KEY} PEM file. */
    Path writePkcs8(Path file) throws IOException {
        return writePem(file, "PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** An RSA private key as a PKCS#1 {@code RSA PRIVATE KEY} PEM file (as openssl genrsa used to write). */
    Path writePkcs1(Path file) throws IOException {
        return writePem(file, "RSA PRIVATE KEY", pkcs1((RSAPrivateCrtKey) pair.getPrivate()));
    }

    /** The TXT record at {@code selector._domainkey.domain}. */
    String dnsRecord() {
        byte[] spki = pair.getPublic().getEncoded();
        if (algorithm == SignatureAlgorithm.ED25519_SHA256) {
            // RFC 8463 4.2: p= is the bare 32-byte key, not SubjectPublicKeyInfo
            return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder()
                    .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        }
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
    }

    PrivateKey privateKey() {
        return pair.getPrivate();
    }

    static Path writePem(Path file, String label, byte[] der) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** PKCS#8 for an Ed25519 32-byte seed (RFC 8410): the fixed prefix, then the seed. */
    static byte[] ed25519Pkcs8(byte[] seed) {
        byte[] prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
                0x20};
        byte[] out = Arrays.copyOf(prefix, prefix.length + 32);
        System.arraycopy(seed, 0, out, prefix.length, 32);
        return out;
    }

    /** The RSAPrivateKey structure inside PKCS#8 (JDK keys encode it as the last OCTET STRING). */
    private static byte[] pkcs1(RSAPrivateCrtKey key) {
        byte[] pkcs8 = key.getEncoded();
        // skip SEQUENCE header, version (3 bytes), AlgorithmIdentifier (15 bytes), then OCTET STRING header
        int at = headerLength(pkcs8, 0) + 3 + 15;
        int contentStart = at + headerLength(pkcs8, at);
        return Arrays.copyOfRange(pkcs8, contentStart, pkcs8.length);
    }

    private static int headerLength(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return first < 0x80 ? 2 : 2 + (first & 0x7f);
    }
}
