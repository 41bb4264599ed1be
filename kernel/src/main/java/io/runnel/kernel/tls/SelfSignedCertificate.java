package io.runnel.kernel.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The certificate used when a listener offers TLS but none is configured: made once, at first start, and kept in
 * the data folder so clients that pin it see the same one after a restart.
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** Returns the pair in {@code folder} for {@code hostname}, making it first if it does not exist yet. */
    public static SelfSignedCertificate ensure(Path folder, String hostname, Clock clock) throws IOException {
        String base = "selfsigned-" + hostname.replaceAll("[^A-Za-z0-9.-]", "_");
        SelfSignedCertificate pair = new SelfSignedCertificate(folder.resolve(base + ".crt"), folder.resolve(base + ".key"));
        if (Files.exists(pair.certificate()) && Files.exists(pair.privateKey())) {
            return pair;
        }
        PrivateFolders.create(folder);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name subject = new X500Name("CN=" + hostname.replaceAll("[,=+<>#;\"\\\\]", "_"));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            X509CertificateHolder cert = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            writeAtomically(pair.privateKey(), pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())), true);
            writeAtomically(pair.certificate(), pem(new PemObject("CERTIFICATE", cert.getEncoded())), false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
        return pair;
    }

    private static String pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        if (secret) {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions protect the key
            }
        }
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
