import com.google.protobuf.ByteString;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.sdk.client.RunnelClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * bench/scale's client for what must be timed without a JVM start in the figure (bench/scale runs it with the
 * distribution's lib/ on the class path):
 * <ul>
 *   <li>{@code summary HOST:PORT BY...}: times the queue summary grouped by each BY in turn, over one open channel;
 *       prints "BY SECONDS ROWS MESSAGES" per summary;</li>
 *   <li>{@code inject HOST:PORT RECIPIENT}: injects one small message and prints the epoch milliseconds at which
 *       runnel acknowledged it;</li>
 *   <li>{@code list HOST:PORT}: times ListMessages' first page of 100 and the page after it; prints
 *       "list FIRST_SECONDS NEXT_SECONDS MESSAGES_ON_THE_FIRST_PAGE".</li>
 * </ul>
 */
public class ScaleProbe {
  public static void main(String[] args) {
    // without a configuration logback would print every library's debug lines to stdout, among the figures
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    try (RunnelClient client = RunnelClient.builder().target(args[1]).callTimeout(Duration.ofMinutes(10)).build()) {
      client.health("");   // connects: the channel is open before any clock starts
      if (args[0].equals("inject")) {
        byte[] raw = ("From: <probe@scale.runnel.test>\r\nTo: <" + args[2] + ">\r\nSubject: probe\r\n\r\nprobe\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        client.inject(InjectRequest.newBuilder().setEnvelopeSender("probe@scale.runnel.test")
            .addEnvelopeRecipients(args[2]).setRaw(ByteString.copyFrom(raw)).build());
        System.out.println(System.currentTimeMillis());
        return;
      }
      if (args[0].equals("list")) {
        long started = System.nanoTime();
        ListMessagesResponse first = client.listMessages(ListMessagesRequest.newBuilder().setPageSize(100).build());
        double firstSeconds = (System.nanoTime() - started) / 1e9;
        started = System.nanoTime();
        client.listMessages(ListMessagesRequest.newBuilder().setPageSize(100).setPageToken(first.getNextPageToken()).build());
        System.out.printf(Locale.ROOT, "list %.2f %.2f %d%n", firstSeconds, (System.nanoTime() - started) / 1e9,
            first.getMessagesCount());
        return;
      }
      for (int i = 2; i < args.length; i++) {
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
