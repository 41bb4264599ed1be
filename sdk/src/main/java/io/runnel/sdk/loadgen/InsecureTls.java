package io.runnel.sdk.loadgen;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the generator's STARTTLS: every certificate is accepted, because benchmark servers run with
 * self-signed certificates on loopback and the point is the cost of encryption, not who is at the other end.
 */
final class InsecureTls {

  private InsecureTls() {
  }

  static SSLSocketFactory socketFactory() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK offers no TLS context", e);
    }
  }

  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      // the generator is always the client
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // deliberately accepted: see the class comment
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
