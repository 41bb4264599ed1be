package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

import io.runnel.sdk.dkim.DkimVerifier;

/**
 * Checks the DKIM signature of every {@code every}-th accepted message (the 1st, the (every+1)-th, ...).
 *
 * @param verifier holds the public key the signatures must verify with
 * @param every    1 checks every message
 */
public record DkimSample(DkimVerifier verifier, int every) {
  public DkimSample {
    requireNonNull(verifier, "verifier");
    if (every < 1) throw new IllegalArgumentException("DKIM sample interval must be >= 1: " + every);
  }

  boolean covers(long messageNumber) {
    return (messageNumber - 1) % every == 0;
  }
}
