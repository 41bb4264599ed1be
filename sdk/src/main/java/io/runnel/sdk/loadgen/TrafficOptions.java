package io.runnel.sdk.loadgen;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a load run paces itself and where its recipients live, beyond {@link LoadOptions}' basics.
 *
 * @param duration      when positive, the measured phase sends until this much time has passed and
 *                      {@link LoadOptions#messages()} is ignored; zero sends exactly that many messages
 * @param ratePerSecond target messages per second over all sessions (each message gets a start slot
 *                      {@code 1/rate} after the previous one); 0 sends as fast as the server answers
 * @param domains       when positive, recipients are spread over this many domains: recipient number
 *                      {@code r} gets domain number {@code r % domains}; 0 keeps the recipient pattern's domain
 * @param domainPattern domain name with {@code {n}} for the domain number, e.g. {@code d{n}.bench.test}
 * @param startTls      upgrade every connection with STARTTLS before the first message (certificates are not
 *                      checked: the generator measures, it does not authenticate); a server that does not offer
 *                      STARTTLS fails the connection
 */
public record TrafficOptions(Duration duration, double ratePerSecond, int domains, String domainPattern,
                             boolean startTls) {

  public static final TrafficOptions DEFAULTS = new TrafficOptions(Duration.ZERO, 0, 0, "d{n}.bench.test", false);

  public TrafficOptions {
    requireNonNull(duration, "duration");
    requireNonNull(domainPattern, "domainPattern");
    if (duration.isNegative()) throw new IllegalArgumentException("duration must be >= 0: " + duration);
    if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a number >= 0: " + ratePerSecond);
    }
    if (domains < 0) throw new IllegalArgumentException("domains must be >= 0: " + domains);
    if (!domainPattern.contains("{n}") || domainPattern.contains("@") || domainPattern.contains(" ")) {
      throw new IllegalArgumentException("domain pattern needs {n} and no '@' or spaces: " + domainPattern);
    }
  }

  /** True when the run ends after {@link #duration()} rather than after a message count. */
  public boolean timed() {
    return !duration.isZero();
  }

  /** Domain of recipient number {@code recipient}. */
  String domainOf(long recipient) {
    return domainPattern.replace("{n}", Long.toString(Math.floorMod(recipient, domains)));
  }

  public TrafficOptions withDuration(Duration d) {
    return new TrafficOptions(d, ratePerSecond, domains, domainPattern, startTls);
  }

  public TrafficOptions withRate(double perSecond) {
    return new TrafficOptions(duration, perSecond, domains, domainPattern, startTls);
  }

  public TrafficOptions withDomains(int count, String pattern) {
    return new TrafficOptions(duration, ratePerSecond, count, pattern, startTls);
  }

  public TrafficOptions withStartTls(boolean tls) {
    return new TrafficOptions(duration, ratePerSecond, domains, domainPattern, tls);
  }
}
