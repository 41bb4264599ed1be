package io.runnel.sdk.ctl;

import io.runnel.grpc.v1.Direction;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.PluginStatus;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.SessionEvent;
import io.runnel.grpc.v1.SetLogLevelResponse;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.TraceSessionsRequest;
import io.runnel.sdk.client.EventStream;
import io.runnel.sdk.client.RunnelClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runnelctl admin ...}: AdminService. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "The daemon itself: status, reload, log levels, traces, drain.",
    subcommands = {AdminCommand.Status.class, AdminCommand.Reload.class, AdminCommand.LogLevel.class,
        AdminCommand.Trace.class, AdminCommand.Drain.class})
final class AdminCommand {

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Version, uptime, spool and queue counts, plugins, listeners.")
  static final class Status extends ClientCommand {
    @Override
    int run(RunnelClient client, Output out) {
      StatusResponse s = client.status();
      if (out.json()) {
        out.document(s);
        return ExitCodes.OK;
      }
      List<Map.Entry<String, String>> fields = new ArrayList<>();
      fields.add(Map.entry("version", s.getVersion()));
      fields.add(Map.entry("hostname", s.getHostname()));
      fields.add(Map.entry("started", Formats.time(s.getStartedAt())));
      fields.add(Map.entry("uptime", Formats.age(s.getUptime())));
      fields.add(Map.entry("spooled", s.getSpooledMessages() + " messages, " + Formats.bytes(s.getSpooledBytes())));
      fields.add(Map.entry("scheduled queues", Long.toString(s.getScheduledQueues())));
      fields.add(Map.entry("ready messages", Long.toString(s.getReadyMessages())));
      fields.add(Map.entry("suspensions", Long.toString(s.getSuspensions())));
      fields.add(Map.entry("admin bounces", Long.toString(s.getAdminBounces())));
      fields.add(Map.entry("inbound sessions", Long.toString(s.getInboundSessions())));
      fields.add(Map.entry("draining", s.getDraining() ? "yes" : "no"));
      s.getListenersList().forEach(l -> fields.add(Map.entry("listener", l)));
      out.fields(fields);
      if (s.getPluginsCount() > 0) {
        out.line("");
        Table plugins = new Table("PLUGIN", "VERSION", "STATE", "FAILURE");
        for (PluginStatus p : s.getPluginsList()) plugins.row(p.getId(), p.getVersion(), p.getState(), p.getFailure());
        out.table(plugins);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "reload", mixinStandardHelpOptions = true,
      description = "Re-read conf/ and rules/ and apply them if every changed file is valid; exit 1 when refused.")
  static final class Reload extends ClientCommand {
    @Override
    int run(RunnelClient client, Output out) {
      ReloadConfigResponse r = client.reloadConfig();
      if (out.json()) {
        out.document(r);
      } else {
        out.line(r.getApplied() ? (r.getChangedCount() == 0 ? "nothing changed" : "applied: " + String.join(", ", r.getChangedList()))
            : "refused; the running configuration stays:");
        r.getErrorsList().forEach(e -> out.line("  " + e));
        r.getRestartNeededList().forEach(n -> out.line("needs a restart: " + n));
      }
      return r.getApplied() ? ExitCodes.OK : ExitCodes.ERROR;
    }
  }

  @Command(name = "log-level", mixinStandardHelpOptions = true, description = "Change a logger's level while the daemon runs.")
  static final class LogLevel extends ClientCommand {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "INHERIT");

    @Parameters(index = "0", paramLabel = "LOGGER", description = "Logger name, e.g. io.runnel.kernel.delivery; root for the root logger.")
    String logger;

    @Parameters(index = "1", paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO, WARN, ERROR, OFF, or inherit (clear it).")
    String level;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Go back to the previous level after this long: 10m, 1h (default: keep).")
    Optional<Duration> duration;

    @Override
    void validate() {
      if (!LEVELS.contains(level.toUpperCase(Locale.ROOT))) throw usage("LEVEL: '" + level + "' is not one of " + String.join(", ", LEVELS.stream().sorted().toList()));
    }

    @Override
    int run(RunnelClient client, Output out) {
      String name = logger.equalsIgnoreCase("root") ? "" : logger;
      String wanted = level.equalsIgnoreCase("inherit") ? "" : level.toUpperCase(Locale.ROOT);
      SetLogLevelResponse r = client.setLogLevel(name, wanted, duration);
      if (out.json()) {
        out.document(r);
      } else {
        out.line((r.getLogger().isEmpty() ? "root" : r.getLogger()) + ": " + (r.getPreviousLevel().isEmpty() ? "(inherited)" : r.getPreviousLevel())
            + " -> " + r.getEffectiveLevel() + (r.hasRevertsAt() ? " until " + Formats.time(r.getRevertsAt()) : ""));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "trace", mixinStandardHelpOptions = true,
      description = "Print live SMTP session events (inbound and outbound) until Ctrl-C, --count or --for.")
  static final class Trace extends ClientCommand {
    @Option(names = "--peer", paramLabel = "IP|CIDR", defaultValue = "", description = "Only sessions with this peer.")
    String peer;

    @Option(names = "--domain", paramLabel = "DOMAIN", defaultValue = "", description = "Only sessions concerning this domain.")
    String domain;

    @Option(names = "--direction", paramLabel = "DIR", description = "inbound or outbound (default: both).")
    Optional<String> direction;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0", description = "Stop after N events (default: no limit).")
    long count;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class, description = "Stop after this long: 30s, 5m.")
    Optional<Duration> duration;

    @Override
    void validate() {
      direction.ifPresent(this::direction);
      if (count < 0) throw usage("--count must be 0 or more");
    }

    private Direction direction(String d) {
      return switch (d.toLowerCase(Locale.ROOT)) {
        case "inbound", "in" -> Direction.DIRECTION_INBOUND;
        case "outbound", "out" -> Direction.DIRECTION_OUTBOUND;
        default -> throw usage("--direction: '" + d + "' is not inbound or outbound");
      };
    }

    @Override
    int run(RunnelClient client, Output out) {
      TraceSessionsRequest.Builder request = TraceSessionsRequest.newBuilder().setPeer(peer).setDomain(domain);
      direction.map(this::direction).ifPresent(request::setDirection);
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnelctl-trace-timer");
        t.setDaemon(true);
        return t;
      });
      try (EventStream<SessionEvent> events = client.trace(request.build())) {
        duration.ifPresent(d -> timer.schedule(events::close, d.toMillis(), TimeUnit.MILLISECONDS));
        long seen = 0;
        while ((count == 0 || seen < count) && events.hasNext()) {
          SessionEvent e = events.next();
          seen++;
          if (out.json()) {
            out.jsonLine(e);
          } else {
            out.line(String.join(" ", Formats.time(e.getTime()), e.getSessionId(), arrow(e), e.getPeerAddress(),
                kind(e), e.getText()).replaceAll(" +", " ").strip());
          }
        }
      } finally {
        timer.shutdownNow();
      }
      return ExitCodes.OK;
    }

    /** Who spoke: "<" from the client side, ">" from the server side, "=" for connection events. */
    private static String arrow(SessionEvent e) {
      boolean inbound = e.getDirection() == Direction.DIRECTION_INBOUND;
      return switch (e.getKind()) {
        case SESSION_EVENT_KIND_COMMAND -> inbound ? "in  <" : "out >";
        case SESSION_EVENT_KIND_REPLY -> inbound ? "in  >" : "out <";
        default -> inbound ? "in  =" : "out =";
      };
    }

    private static String kind(SessionEvent e) {
      return switch (e.getKind()) {
        case SESSION_EVENT_KIND_COMMAND, SESSION_EVENT_KIND_REPLY -> "";
        default -> e.getKind().name().substring("SESSION_EVENT_KIND_".length());
      };
    }
  }

  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Stop accepting mail and wait for sessions in flight (irreversible until restart); exit 1 if some remain.")
  static final class Drain extends ClientCommand {
    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long the daemon waits for inbound sessions (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    int run(RunnelClient client, Output out) {
      DrainResponse r = client.drain(wait);
      if (out.json()) {
        out.document(r);
      } else {
        out.line(r.getDrained() ? "drained" : "not drained: " + r.getSessionsRemaining() + " sessions still open");
      }
      return r.getDrained() ? ExitCodes.OK : ExitCodes.ERROR;
    }
  }
}
