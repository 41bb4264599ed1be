package io.runnel.sdk.ctl;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.runnel.grpc.v1.ComposedMessage;
import io.runnel.grpc.v1.Header;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.sdk.client.RunnelClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnelctl inject}: InjectionService. One message goes by Inject, several files by one InjectStream.
 * Raw messages come from files or stdin; {@code --from} composes one from parts instead.
 */
@Command(name = "inject", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Hand messages to Runnel without SMTP (.eml files, stdin, or composed from parts).",
        "Several files go over one stream. A message is acknowledged only once committed to the spool."})
final class InjectCommand extends ClientCommand {

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "RFC 5322 messages (.eml); - or none: read stdin.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--rcpt", paramLabel = "ADDRESS", description = "Envelope recipient (repeat); required for raw messages.")
  List<String> rcpt = new ArrayList<>();

  @Option(names = "--sender", paramLabel = "ADDRESS", defaultValue = "",
      description = "Envelope sender (default: <> for raw messages, the From address for composed ones).")
  String sender;

  @Option(names = "--tenant", paramLabel = "NAME", defaultValue = "", description = "Tenant (overrides the tenant header).")
  String tenant;

  @Option(names = "--campaign", paramLabel = "NAME", defaultValue = "", description = "Campaign (overrides the campaign header).")
  String campaign;

  @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata kept with the message (repeat).")
  Map<String, String> meta = new LinkedHashMap<>();

  @Option(names = "--from", paramLabel = "ADDRESS", description = "Compose a message: its From (\"Alice <alice@example.com>\").")
  Optional<String> from;

  @Option(names = "--to", paramLabel = "ADDRESS", description = "Composed: To address (repeat).")
  List<String> to = new ArrayList<>();

  @Option(names = "--cc", paramLabel = "ADDRESS", description = "Composed: Cc address (repeat).")
  List<String> cc = new ArrayList<>();

  @Option(names = "--bcc", paramLabel = "ADDRESS", description = "Composed: Bcc address (repeat), never in a header.")
  List<String> bcc = new ArrayList<>();

  @Option(names = "--reply-to", paramLabel = "ADDRESS", defaultValue = "", description = "Composed: Reply-To.")
  String replyTo;

  @Option(names = "--subject", paramLabel = "TEXT", defaultValue = "", description = "Composed: Subject.")
  String subject;

  @Option(names = "--text", paramLabel = "TEXT", defaultValue = "", description = "Composed: text/plain body.")
  String text;

  @Option(names = "--html", paramLabel = "HTML", defaultValue = "", description = "Composed: text/html body.")
  String html;

  @Option(names = "--header", paramLabel = "NAME: VALUE", description = "Composed: one more header field (repeat).")
  List<String> headers = new ArrayList<>();

  private final InputStream stdin;

  InjectCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  void validate() {
    boolean composedParts = !to.isEmpty() || !cc.isEmpty() || !bcc.isEmpty() || !replyTo.isEmpty() || !subject.isEmpty()
        || !text.isEmpty() || !html.isEmpty() || !headers.isEmpty();
    if (from.isPresent() && !files.isEmpty()) throw usage("give message FILEs or --from with its parts, not both");
    if (from.isEmpty() && composedParts) throw usage("--to, --cc, --bcc, --reply-to, --subject, --text, --html and --header compose a message: add --from");
    if (from.isEmpty() && rcpt.isEmpty()) throw usage("a raw message needs its envelope recipients: add --rcpt");
    for (Path f : files) {
      if (!isStdin(f) && !Files.isReadable(f)) throw usage("cannot read " + f);
    }
    if (files.stream().filter(InjectCommand::isStdin).count() > 1) throw usage("stdin (-) can be read only once");
    headers.forEach(this::header);
  }

  @Override
  int run(RunnelClient client, Output out) {
    if (files.size() > 1) return stream(client, out);
    InjectRequest request = from.isPresent() ? composed() : raw(files.isEmpty() ? Path.of("-") : files.get(0));
    InjectResponse response = client.inject(request);
    if (out.json()) {
      out.document(response);
    } else {
      out.line("accepted " + response.getId() + " into " + String.join(", ", response.getQueuesList()));
    }
    return ExitCodes.OK;
  }

  /** Several files over one stream; the exit code is that of the first refused message, 0 when all were stored. */
  private int stream(RunnelClient client, Output out) {
    List<InjectResult> results = new ArrayList<>();
    Iterator<Path> sources = files.iterator();
    client.injectAll(new Iterator<>() {
      @Override
      public boolean hasNext() {
        return sources.hasNext();
      }

      @Override
      public InjectRequest next() {
        return raw(sources.next());
      }
    }, result -> {
      results.add(result);
      if (out.json()) out.jsonLine(result);
    });
    if (!out.json()) {
      Table table = new Table("FILE", "RESULT", "ID OR ERROR");
      for (InjectResult r : results) {
        table.row(r.getClientRef(), r.hasAccepted() ? "accepted" : Status.fromCodeValue(r.getError().getCode()).getCode(),
            r.hasAccepted() ? r.getAccepted().getId() : r.getError().getMessage());
      }
      out.table(table);
    }
    return results.stream().filter(InjectResult::hasError).findFirst()
        .map(r -> ExitCodes.forStatus(Status.fromCodeValue(r.getError().getCode()).getCode())).orElse(ExitCodes.OK);
  }

  private InjectRequest.Builder envelope() {
    return InjectRequest.newBuilder().setEnvelopeSender(sender).addAllEnvelopeRecipients(rcpt).setTenant(tenant)
        .setCampaign(campaign).putAllMetadata(meta);
  }

  private InjectRequest raw(Path file) {
    try {
      byte[] content = isStdin(file) ? stdin.readAllBytes() : Files.readAllBytes(file);
      return envelope().setRaw(ByteString.copyFrom(content)).setClientRef(file.toString()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private InjectRequest composed() {
    ComposedMessage.Builder message = ComposedMessage.newBuilder().setFrom(from.orElseThrow()).addAllTo(to).addAllCc(cc)
        .addAllBcc(bcc).setReplyTo(replyTo).setSubject(subject).setTextBody(text).setHtmlBody(html);
    headers.forEach(h -> message.addHeaders(header(h)));
    return envelope().setComposed(message).build();
  }

  private Header header(String field) {
    int colon = field.indexOf(':');
    if (colon <= 0) throw usage("--header wants 'Name: value', got '" + field + "'");
    return Header.newBuilder().setName(field.substring(0, colon).strip()).setValue(field.substring(colon + 1).strip()).build();
  }

  private static boolean isStdin(Path f) {
    return f.toString().equals("-");
  }
}
