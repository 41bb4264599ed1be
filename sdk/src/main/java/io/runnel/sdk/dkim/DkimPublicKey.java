package io.runnel.sdk.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public key a DKIM verifier checks signatures with, read from a file instead of DNS: a PEM
 * {@code PUBLIC KEY} (SubjectPublicKeyInfo), or the key's DNS TXT record as published
 * ({@code v=DKIM1; k=rsa; p=MIGf...}, quotes and a zone-file prefix allowed).
 *
 * @param algorithm {@code rsa} or {@code ed25519}, the family of the {@code a=} tags this key verifies
 * @param key       the JCA key
 */
public record DkimPublicKey(String algorithm, PublicKey key) {

  /** DER prefix that turns a raw 32-byte Ed25519 key (RFC 8463 {@code p=}) into SubjectPublicKeyInfo. */
  private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final Pattern KEY_TYPE = Pattern.compile("(?:^|[;\\s])k\\s*=\\s*([A-Za-z0-9]+)");
  private static final Pattern KEY_DATA = Pattern.compile("(?:^|[;\\s])p\\s*=\\s*([A-Za-z0-9+/=\\s]+)");

  /**
   * @throws IOException              when the file cannot be read
   * @throws IllegalArgumentException when it holds no usable key, naming the file
   */
  public static DkimPublicKey read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses PEM or a DNS record, see the class comment. */
  public static DkimPublicKey parse(String text) {
    if (text.contains("-----BEGIN PUBLIC KEY-----")) {
      String base64 = text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----") + 26);
      int end = base64.indexOf("-----END PUBLIC KEY-----");
      if (end < 0) throw new IllegalArgumentException("PEM without END PUBLIC KEY");
      byte[] der = decode(base64.substring(0, end));
      try {
        return new DkimPublicKey("rsa", KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException notRsa) {
        return new DkimPublicKey("ed25519", keyOf("Ed25519", der));
      }
    }
    String record = text.replace("\"", " ");
    Matcher data = KEY_DATA.matcher(record);
    if (!data.find()) throw new IllegalArgumentException("no PEM public key and no DKIM record with p=");
    Matcher type = KEY_TYPE.matcher(record);
    String k = type.find() ? type.group(1).toLowerCase(Locale.ROOT) : "rsa";
    byte[] raw = decode(data.group(1));
    if (raw.length == 0) throw new IllegalArgumentException("the record's key is revoked (empty p=)");
    return switch (k) {
      case "rsa" -> new DkimPublicKey("rsa", keyOf("RSA", raw));
      case "ed25519" -> {
        if (raw.length != 32) throw new IllegalArgumentException("an ed25519 p= holds 32 bytes, not " + raw.length);
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        yield new DkimPublicKey("ed25519", keyOf("Ed25519", spki));
      }
      default -> throw new IllegalArgumentException("unknown key type k=" + k);
    };
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key is not base64: " + e.getMessage(), e);
    }
  }

  private static PublicKey keyOf(String algorithm, byte[] spki) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid " + algorithm + " public key: " + e.getMessage(), e);
    }
  }
}
