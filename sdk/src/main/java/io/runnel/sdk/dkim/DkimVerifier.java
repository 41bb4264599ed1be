package io.runnel.sdk.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies DKIM signatures (RFC 6376; rsa-sha256, rsa-sha1 and RFC 8463 ed25519-sha256; simple and relaxed
 * canonicalisation; {@code l=}) against one public key given up front, so a benchmark sink can check a sample of
 * what a signer produced without DNS. Only the signatures whose algorithm matches the key's family are tried; the
 * message passes when one of them verifies. Needs nothing beyond the JDK: the SDK may not use the kernel's or
 * the DKIM plugin's code. Thread-safe.
 */
public final class DkimVerifier {

  /** What {@link #verify} found. */
  public enum Status { PASS, FAIL, NONE }

  /**
   * @param status PASS, FAIL (a signature for this key's algorithm did not verify) or NONE (no such signature)
   * @param detail why, for FAIL and NONE; empty for PASS
   */
  public record Result(Status status, String detail) {}

  private final DkimPublicKey key;

  public DkimVerifier(DkimPublicKey key) {
    this.key = key;
  }

  /** Verifies {@code message}, the whole message with CRLF line endings as it travelled (after dot-unstuffing). */
  public Result verify(byte[] message) {
    ParsedMessage parsed = ParsedMessage.parse(message);
    String failure = null;
    int tried = 0;
    for (HeaderField field : parsed.headers()) {
      if (!field.name().equalsIgnoreCase("DKIM-Signature")) continue;
      Map<String, String> tags = tags(field.value());
      String a = tags.getOrDefault("a", "").toLowerCase(Locale.ROOT);
      if (!a.startsWith(key.algorithm() + "-")) continue;
      tried++;
      String problem = check(parsed, field, tags, a);
      if (problem == null) return new Result(Status.PASS, "");
      failure = problem;
    }
    return tried == 0 ? new Result(Status.NONE, "no " + key.algorithm() + " DKIM-Signature")
        : new Result(Status.FAIL, failure);
  }

  /** Null when the signature verifies, else the reason it does not. */
  private String check(ParsedMessage message, HeaderField signature, Map<String, String> tags, String a) {
    if (!"1".equals(tags.get("v"))) return "v= is not 1";
    String digestName = switch (a) {
      case "rsa-sha256", "ed25519-sha256" -> "SHA-256";
      case "rsa-sha1" -> "SHA-1";
      default -> null;
    };
    if (digestName == null) return "unsupported a=" + a;
    String[] c = tags.getOrDefault("c", "simple/simple").toLowerCase(Locale.ROOT).split("/", 2);
    boolean relaxedHeaders = c[0].equals("relaxed");
    boolean relaxedBody = c.length > 1 && c[1].equals("relaxed");
    if (!tags.containsKey("h") || !tags.containsKey("bh") || !tags.containsKey("b")) return "missing h=, bh= or b=";
    try {
      byte[] body = relaxedBody ? Canonical.relaxedBody(message.body()) : Canonical.simpleBody(message.body());
      if (tags.containsKey("l")) {
        long l = Long.parseLong(tags.get("l"));
        if (l > body.length) return "l= is longer than the body";
        body = Arrays.copyOf(body, (int) l);
      }
      byte[] bodyHash = MessageDigest.getInstance(digestName).digest(body);
      if (!MessageDigest.isEqual(bodyHash, base64(tags.get("bh")))) return "body hash mismatch (bh=)";

      byte[] signed = signedHeaders(message, signature, tags.get("h"), relaxedHeaders);
      Signature verifier;
      byte[] data;
      if (a.equals("ed25519-sha256")) {
        verifier = Signature.getInstance("Ed25519");
        data = MessageDigest.getInstance("SHA-256").digest(signed);   // RFC 8463: Ed25519 signs the hash
      } else {
        verifier = Signature.getInstance(a.equals("rsa-sha1") ? "SHA1withRSA" : "SHA256withRSA");
        data = signed;
      }
      verifier.initVerify(key.key());
      verifier.update(data);
      return verifier.verify(base64(tags.get("b"))) ? null : "signature mismatch (b=)";
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "unverifiable: " + e.getMessage();
    }
  }

  /** The header data the signature covers: the h= fields bottom-up, then the signature itself with b= emptied. */
  private static byte[] signedHeaders(ParsedMessage message, HeaderField signature, String h, boolean relaxed) {
    StringBuilder out = new StringBuilder(1024);
    Map<String, Integer> used = new HashMap<>();
    List<HeaderField> headers = message.headers();
    for (String raw : h.split(":")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      int skip = used.merge(name, 1, Integer::sum) - 1;
      for (int i = headers.size() - 1; i >= 0; i--) {
        if (!headers.get(i).name().equalsIgnoreCase(name)) continue;
        if (skip-- > 0) continue;
        out.append(relaxed ? Canonical.relaxedHeader(headers.get(i)) : headers.get(i).raw());
        break;
      }
    }
    HeaderField blanked = signature.withRaw(withoutSignatureValue(signature.raw()));
    String last = relaxed ? Canonical.relaxedHeader(blanked) : blanked.raw();
    out.append(last, 0, last.length() - 2);   // the signature field goes in without its CRLF
    return out.toString().getBytes(ISO_8859_1);
  }

  /** The raw field with the value of its {@code b=} tag (and the whitespace around it) removed. */
  static String withoutSignatureValue(String raw) {
    int colon = raw.indexOf(':');
    String[] parts = raw.substring(colon + 1).split(";", -1);
    StringBuilder out = new StringBuilder(raw.length()).append(raw, 0, colon + 1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equals("b")) {
        part = part.substring(0, eq + 1);
        if (i == parts.length - 1) part += "\r\n";   // keep the field's own line end
      }
      out.append(part);
      if (i < parts.length - 1) out.append(';');
    }
    return out.toString();
  }

  static Map<String, String> tags(String value) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String part : value.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) continue;
      String name = part.substring(0, eq).strip();
      String v = part.substring(eq + 1).replaceAll("\\s+", "");   // folding whitespace inside values is ignored
      tags.put(name, v);
    }
    return tags;
  }

  private static byte[] base64(String value) {
    return Base64.getDecoder().decode(value.replaceAll("\\s", ""));
  }

  /** One header field: its name and its raw text, folding and CRLF included. */
  record HeaderField(String name, String raw) {
    String value() {
      return raw.substring(raw.indexOf(':') + 1);
    }

    HeaderField withRaw(String newRaw) {
      return new HeaderField(name, newRaw);
    }
  }

  /** A message split into its header fields (in order) and its body. */
  record ParsedMessage(List<HeaderField> headers, byte[] body) {

    static ParsedMessage parse(byte[] message) {
      String text = new String(message, ISO_8859_1);   // one char per byte: offsets stay byte offsets
      List<HeaderField> headers = new ArrayList<>();
      int pos = 0;
      StringBuilder current = null;
      while (pos < text.length()) {
        int eol = text.indexOf("\r\n", pos);
        int next = eol < 0 ? text.length() : eol + 2;
        String line = text.substring(pos, next);
        if (line.equals("\r\n")) {
          pos = next;
          break;
        }
        if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
          current.append(line);
        } else {
          if (current != null) headers.add(field(current.toString()));
          current = new StringBuilder(line);
        }
        pos = next;
      }
      if (current != null) headers.add(field(current.toString()));
      byte[] body = Arrays.copyOfRange(message, Math.min(pos, message.length), message.length);
      return new ParsedMessage(headers, body);
    }

    private static HeaderField field(String raw) {
      int colon = raw.indexOf(':');
      return new HeaderField(colon < 0 ? raw.strip() : raw.substring(0, colon).strip(), raw);
    }
  }
}
