package io.runnel.sdk.ctl;

import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.AdminBounceRule;
import io.runnel.grpc.v1.CancelBounceResponse;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.Header;
import io.runnel.grpc.v1.InspectMessageResponse;
import io.runnel.grpc.v1.ListBouncesResponse;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsResponse;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageState;
import io.runnel.grpc.v1.MessageSummary;
import io.runnel.grpc.v1.RebindResponse;
import io.runnel.grpc.v1.RecipientDetail;
import io.runnel.grpc.v1.ResumeResponse;
import io.runnel.grpc.v1.RetryNowResponse;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SummaryRow;
import io.runnel.grpc.v1.SuspendResponse;
import io.runnel.grpc.v1.Suspension;
import io.runnel.sdk.client.RunnelClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runnelctl queue ...}: QueueService. */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Look at queued mail, hold it, bounce it, move it, hurry it.",
    subcommands = {QueueCommand.Summary.class, QueueCommand.ListMessages.class, QueueCommand.Inspect.class,
        QueueCommand.Suspend.class, QueueCommand.Resume.class, QueueCommand.Suspensions.class,
        QueueCommand.Bounce.class, QueueCommand.Bounces.class, QueueCommand.CancelBounce.class,
        QueueCommand.Rebind.class, QueueCommand.Retry.class})
final class QueueCommand {

  @Command(name = "summary", mixinStandardHelpOptions = true,
      description = "Count queued messages by tenant, campaign, domain, site, source, pool or queue, with the oldest's age.")
  static final class Summary extends ClientCommand {
    @Option(names = {"-b", "--by"}, paramLabel = "DIMENSION", split = ",", converter = GroupByConverter.class,
        description = "Group by these, in order: tenant, campaign, domain, site, source, pool, queue (default: tenant).")
    List<GroupBy> by = new ArrayList<>(List.of(GroupBy.GROUP_BY_TENANT));

    @Mixin
    SelectorOptions filter;

    @Override
    int run(RunnelClient client, Output out) {
      SummaryResponse summary = client.summary(by, filter.selector());
      if (out.json()) {
        out.document(summary);
        return ExitCodes.OK;
      }
      List<String> header = new ArrayList<>();
      by.forEach(g -> header.add(GroupByConverter.name(g).toUpperCase(Locale.ROOT)));
      header.addAll(List.of(">MESSAGES", ">RECIPIENTS", ">SIZE", ">SUSPENDED", ">DEFERRED", ">OLDEST"));
      Table table = new Table(header.toArray(String[]::new));
      summary.getRowsList().forEach(row -> table.row(cells(row, keys(row))));
      List<String> total = new ArrayList<>();
      by.forEach(g -> total.add(total.isEmpty() ? "TOTAL" : ""));
      table.row(cells(summary.getTotal(), total));
      out.table(table);
      return ExitCodes.OK;
    }

    private List<String> keys(SummaryRow row) {
      return by.stream().map(g -> key(row, g)).map(k -> k.isEmpty() ? "-" : k).toList();
    }

    private static String key(SummaryRow row, GroupBy g) {
      return switch (g) {
        case GROUP_BY_TENANT -> row.getTenant();
        case GROUP_BY_CAMPAIGN -> row.getCampaign();
        case GROUP_BY_DOMAIN -> row.getDomain();
        case GROUP_BY_SITE -> row.getSite();
        case GROUP_BY_SOURCE -> row.getSource();
        case GROUP_BY_POOL -> row.getPool();
        case GROUP_BY_QUEUE -> row.getQueue();
        default -> "";
      };
    }

    private static Object[] cells(SummaryRow row, List<String> keys) {
      List<Object> cells = new ArrayList<>(keys);
      cells.addAll(List.of(row.getMessages(), row.getRecipients(), Formats.bytes(row.getBytes()), row.getSuspended(),
          row.getDeferred(), row.getMessages() == 0 ? "" : Formats.age(row.getOldestAge())));
      return cells.toArray();
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List queued messages, oldest first.")
  static final class ListMessages extends ClientCommand {
    @Mixin
    SelectorOptions filter;

    @Option(names = "--state", paramLabel = "STATE", description = "Only messages in this state: scheduled, ready, suspended.")
    Optional<String> state;

    @Option(names = "--min-attempts", paramLabel = "N", defaultValue = "0",
        description = "Only messages with at least N attempts (1: deferred mail).")
    int minAttempts;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "100",
        description = "Show at most N messages; 0 shows all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--page-token", paramLabel = "TOKEN", defaultValue = "",
        description = "Continue after an earlier listing: its next_page_token (--json).")
    String pageToken;

    @Override
    void validate() {
      if (limit < 0) throw usage("--limit must be 0 or more");
      if (minAttempts < 0) throw usage("--min-attempts must be 0 or more");
      state.ifPresent(this::parseState);
    }

    private MessageState parseState(String s) {
      try {
        MessageState m = MessageState.valueOf("MESSAGE_STATE_" + s.toUpperCase(Locale.ROOT));
        if (m != MessageState.MESSAGE_STATE_UNSPECIFIED) return m;
      } catch (IllegalArgumentException e) {
        // falls through to the usage error
      }
      throw usage("--state: '" + s + "' is not scheduled, ready or suspended");
    }

    @Override
    int run(RunnelClient client, Output out) {
      ListMessagesRequest.Builder request = ListMessagesRequest.newBuilder().setFilter(filter.selector())
          .setMinAttempts(minAttempts);
      state.map(this::parseState).ifPresent(request::setState);
      ListMessagesResponse.Builder all = ListMessagesResponse.newBuilder();
      String token = pageToken;
      do {
        int want = limit == 0 ? 1000 : Math.min(1000, limit - all.getMessagesCount());
        ListMessagesResponse page = client.listMessages(request.setPageSize(want).setPageToken(token).build());
        all.addAllMessages(page.getMessagesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty() && (limit == 0 || all.getMessagesCount() < limit));
      all.setNextPageToken(token); // pages never exceed what is still wanted: a token left means more mail
      if (out.json()) {
        out.document(all);
        return ExitCodes.OK;
      }
      Table table = new Table("ID", "STATE", ">ATTEMPTS", "RECEIVED", "NEXT DUE", ">SIZE", "SENDER", "RECIPIENTS", "QUEUES");
      for (MessageSummary m : all.getMessagesList()) {
        table.row(m.getId(), state(m.getState()), m.getAttempts(), Formats.time(m.getReceivedAt()),
            Formats.time(m.getNextDue()), Formats.bytes(m.getSize()), m.getSender().isEmpty() ? "<>" : m.getSender(),
            recipients(m.getPendingRecipientsList()), String.join(",", m.getQueuesList()));
      }
      out.table(table);
      if (!all.getNextPageToken().isEmpty()) out.line("(more queued: raise --limit, or --limit 0 for all)");
      return ExitCodes.OK;
    }

    private static String recipients(List<String> r) {
      if (r.isEmpty()) return "";
      return r.get(0) + (r.size() > 1 ? " +" + (r.size() - 1) : "");
    }
  }

  static String state(MessageState s) {
    return s == MessageState.MESSAGE_STATE_UNSPECIFIED || s == MessageState.UNRECOGNIZED ? ""
        : s.name().substring("MESSAGE_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show what the spool holds about one message (not its body).")
  static final class Inspect extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "Spool id (32 hex digits).")
    String id;

    @Option(names = "--headers", description = "Also show the message's header section.")
    boolean headers;

    @Override
    int run(RunnelClient client, Output out) {
      MessageDetail m = client.inspect(id, headers);
      if (out.json()) {
        out.document(InspectMessageResponse.newBuilder().setMessage(m));
        return ExitCodes.OK;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("id", m.getId());
      fields.put("state", state(m.getState()));
      fields.put("sender", m.getSender().isEmpty() ? "<>" : m.getSender());
      fields.put("tenant", m.getTenant());
      fields.put("campaign", m.getCampaign());
      fields.put("queues", String.join(", ", m.getQueuesList()));
      fields.put("received", Formats.time(m.getReceivedAt()));
      fields.put("size", Formats.bytes(m.getSize()));
      fields.put("attempts", Integer.toString(m.getAttempts()));
      fields.put("next due", Formats.time(m.getNextDue()));
      fields.put("last attempt", Formats.time(m.getLastAttempt()));
      fields.put("last response", Formats.response(m.getLastResponse()));
      new TreeMap<>(m.getMailParametersMap()).forEach((k, v) -> fields.put("mail " + k, v));
      new TreeMap<>(m.getReceptionMap()).forEach((k, v) -> fields.put("reception " + k, v));
      new TreeMap<>(m.getMetadataMap()).forEach((k, v) -> fields.put("meta " + k, v));
      out.fields(List.copyOf(fields.entrySet()));
      out.line("");
      Table recipients = new Table("RECIPIENT", "STATE", "NOTIFY", "ORCPT");
      for (RecipientDetail r : m.getRecipientsList()) {
        recipients.row(r.getAddress(), r.getState(), String.join(",", r.getNotifyList()), r.getOriginalRecipient());
      }
      out.table(recipients);
      if (headers) {
        out.line("");
        for (Header h : m.getHeadersList()) out.line(h.getName() + ": " + h.getValue());
      }
      return ExitCodes.OK;
    }
  }

  /** Commands that act on a selection refuse an empty one: holding or bouncing everything is never a default. */
  abstract static class SelectingCommand extends ClientCommand {
    @Mixin
    SelectorOptions selection;

    @Override
    void validate() {
      if (selection.isEmpty()) throw usage("choose the mail: give at least one of --tenant, --campaign, --domain, --site, --source");
    }
  }

  @Command(name = "suspend", mixinStandardHelpOptions = true,
      description = "Hold matching mail in its queue (no attempts, none counted) until resumed or expired; survives restarts.")
  static final class Suspend extends SelectingCommand {
    @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT", description = "Why; shown in listings and logs.")
    String reason;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long: 30m, 2h, 7d (default: until resumed).")
    Optional<Duration> duration;

    @Override
    int run(RunnelClient client, Output out) {
      SuspendResponse r = client.suspend(selection.selector(), reason, duration);
      if (out.json()) {
        out.document(r);
      } else {
        Suspension s = r.getSuspension();
        out.line("suspended " + Formats.selector(s.getSelector()) + " until " + Formats.until(s.getExpiresAt(), "resumed")
            + " (id " + s.getId() + ", " + r.getMatched() + " messages queued now)");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "End a suspension by id, or every suspension with exactly the given selector; held mail is due at once.")
  static final class Resume extends ClientCommand {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "Suspension id (see: queue suspensions).")
    Optional<String> id;

    @Mixin
    SelectorOptions selection;

    @Override
    void validate() {
      if (id.isPresent() == !selection.isEmpty()) throw usage("give a suspension ID or selector options, not both or neither");
    }

    @Override
    int run(RunnelClient client, Output out) {
      List<Suspension> resumed = id.isPresent() ? client.resume(id.get()) : client.resume(selection.selector());
      if (out.json()) {
        out.document(ResumeResponse.newBuilder().addAllResumed(resumed));
      } else if (resumed.isEmpty()) {
        out.line("no suspension matched");
      } else {
        out.table(suspensions(resumed));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "suspensions", mixinStandardHelpOptions = true, description = "List the active suspensions.")
  static final class Suspensions extends ClientCommand {
    @Override
    int run(RunnelClient client, Output out) {
      List<Suspension> all = client.suspensions();
      if (out.json()) {
        out.document(ListSuspensionsResponse.newBuilder().addAllSuspensions(all));
      } else {
        out.table(suspensions(all));
      }
      return ExitCodes.OK;
    }
  }

  static Table suspensions(List<Suspension> list) {
    Table table = new Table("ID", "SELECTOR", "REASON", "CREATED", "EXPIRES");
    list.forEach(s -> table.row(s.getId(), Formats.selector(s.getSelector()), s.getReason(), Formats.time(s.getCreatedAt()),
        Formats.until(s.getExpiresAt(), "never")));
    return table;
  }

  @Command(name = "bounce", mixinStandardHelpOptions = true,
      description = "Bounce matching queued mail now (AdminBounce records, DSNs), and new matching mail for --for.")
  static final class Bounce extends SelectingCommand {
    @Option(names = {"-r", "--reason"}, required = true, paramLabel = "TEXT", description = "Why; goes into the records and DSNs.")
    String reason;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Keep bouncing new matching mail this long: 30m, 2h (default: only what is queued now).")
    Optional<Duration> duration;

    @Option(names = "--no-dsn", description = "Send no DSNs to the senders (records are still written).")
    boolean noDsn;

    @Override
    int run(RunnelClient client, Output out) {
      AdminBounceResponse r = client.bounce(selection.selector(), reason, duration, noDsn);
      if (out.json()) {
        out.document(r);
      } else {
        AdminBounceRule b = r.getBounce();
        out.line("bounced " + r.getBouncedNow() + " messages of " + Formats.selector(b.getSelector())
            + (duration.isPresent() ? "; new ones until " + Formats.time(b.getExpiresAt()) : "") + " (id " + b.getId() + ")");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "bounces", mixinStandardHelpOptions = true, description = "List the active admin bounce rules.")
  static final class Bounces extends ClientCommand {
    @Override
    int run(RunnelClient client, Output out) {
      List<AdminBounceRule> all = client.bounces();
      if (out.json()) {
        out.document(ListBouncesResponse.newBuilder().addAllBounces(all));
      } else {
        out.table(bounces(all));
      }
      return ExitCodes.OK;
    }
  }

  static Table bounces(List<AdminBounceRule> list) {
    Table table = new Table("ID", "SELECTOR", "REASON", ">BOUNCED", "CREATED", "EXPIRES");
    list.forEach(b -> table.row(b.getId(), Formats.selector(b.getSelector()), b.getReason(), b.getBounced(),
        Formats.time(b.getCreatedAt()), Formats.time(b.getExpiresAt())));
    return table;
  }

  @Command(name = "cancel-bounce", mixinStandardHelpOptions = true,
      description = "End an admin bounce rule early; mail already bounced stays bounced.")
  static final class CancelBounce extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "Rule id (see: queue bounces).")
    String id;

    @Override
    int run(RunnelClient client, Output out) {
      AdminBounceRule cancelled = client.cancelBounce(id);
      if (out.json()) {
        out.document(CancelBounceResponse.newBuilder().setCancelled(cancelled));
      } else {
        out.line("cancelled bounce " + cancelled.getId() + " (" + Formats.selector(cancelled.getSelector()) + ", "
            + cancelled.getBounced() + " bounced)");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "rebind", mixinStandardHelpOptions = true,
      description = "Move matching queued mail to another tenant and/or campaign (its queue and pool follow).")
  static final class Rebind extends SelectingCommand {
    @Option(names = "--to-tenant", paramLabel = "NAME", description = "New tenant (\"\" removes it).")
    Optional<String> toTenant;

    @Option(names = "--to-campaign", paramLabel = "NAME", description = "New campaign (\"\" removes it).")
    Optional<String> toCampaign;

    @Option(names = "--retry-now", description = "Make the moved messages due now.")
    boolean retryNow;

    @Override
    void validate() {
      super.validate();
      if (toTenant.isEmpty() && toCampaign.isEmpty()) throw usage("give --to-tenant and/or --to-campaign");
    }

    @Override
    int run(RunnelClient client, Output out) {
      long rebound = client.rebind(selection.selector(), toTenant, toCampaign, retryNow);
      if (out.json()) {
        out.document(RebindResponse.newBuilder().setRebound(rebound));
      } else {
        out.line("rebound " + rebound + " messages");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Make matching deferred mail due now (no options: all queued mail); suspended mail stays held.")
  static final class Retry extends ClientCommand {
    @Mixin
    SelectorOptions selection;

    @Override
    int run(RunnelClient client, Output out) {
      long scheduled = client.retryNow(selection.selector());
      if (out.json()) {
        out.document(RetryNowResponse.newBuilder().setScheduled(scheduled));
      } else {
        out.line("made " + scheduled + " messages due now");
      }
      return ExitCodes.OK;
    }
  }
}
