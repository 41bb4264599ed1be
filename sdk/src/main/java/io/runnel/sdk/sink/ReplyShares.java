package io.runnel.sdk.sink;

/**
 * Shares of messages the sink refuses or stalls at end of data, to benchmark a sender against a realistic
 * receiver. Which message gets what is a fixed function of its end-of-data number, so the shares hold exactly
 * over any long run and two runs behave alike.
 *
 * @param tempfail share answered {@code 451 4.3.0} (0 to 1)
 * @param permfail share answered {@code 550 5.7.1}
 * @param stall    share never answered: the connection then ignores the client until it gives up
 */
public record ReplyShares(double tempfail, double permfail, double stall) {

  public static final ReplyShares NONE = new ReplyShares(0, 0, 0);

  /** What the sink does with one message. */
  enum Decision { ACCEPT, TEMPFAIL, PERMFAIL, STALL }

  public ReplyShares {
    check("tempfail", tempfail);
    check("permfail", permfail);
    check("stall", stall);
    if (tempfail + permfail + stall > 1) {
      throw new IllegalArgumentException("tempfail + permfail + stall shares exceed 1: " + (tempfail + permfail + stall));
    }
  }

  /** The decision for the {@code n}-th end of data the sink sees (counted from 0 across connections). */
  Decision decide(long n) {
    if (this.equals(NONE)) return Decision.ACCEPT;
    double u = (mix(n) >>> 11) * 0x1.0p-53;   // uniform in [0, 1)
    if (u < tempfail) return Decision.TEMPFAIL;
    if (u < tempfail + permfail) return Decision.PERMFAIL;
    if (u < tempfail + permfail + stall) return Decision.STALL;
    return Decision.ACCEPT;
  }

  private static void check(String name, double share) {
    if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException(name + " share must be 0 to 1: " + share);
  }

  /** SplitMix64's finaliser: consecutive numbers spread evenly over [0, 1). */
  private static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
