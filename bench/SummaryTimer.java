import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.sdk.client.RunnelClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Times runnel's queue summary from a client that is already up, so the figure is the daemon's answer and not a
 * JVM start (bench/scale runs it with the distribution's lib/ on the class path).
 * Usage: java -cp 'lib/*' bench/SummaryTimer.java HOST:PORT tenant domain ...; prints "BY SECONDS ROWS MESSAGES".
 */
public class SummaryTimer {
  public static void main(String[] args) {
    try (RunnelClient client = RunnelClient.builder().target(args[0]).callTimeout(Duration.ofMinutes(10)).build()) {
      client.health("");   // connects: the channel is open before the clock starts
      for (int i = 1; i < args.length; i++) {
        GroupBy by = GroupBy.valueOf("GROUP_BY_" + args[i].toUpperCase(Locale.ROOT));
        long started = System.nanoTime();
        SummaryResponse summary = client.summary(List.of(by), Selector.getDefaultInstance());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s %.2f %d %d%n", args[i], seconds, summary.getRowsCount(),
            summary.getTotal().getMessages());
      }
    }
  }
}
