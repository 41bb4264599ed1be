package io.runnel.sdk.ctl;

import io.grpc.Status;
import io.runnel.sdk.client.RunnelClient;
import io.runnel.sdk.client.RunnelClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/** {@code runnelctl}: the command line of Runnel's control plane. Connection options go anywhere on the line. */
@Command(name = "runnelctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Controls a running Runnel daemon over its gRPC control plane.",
    footerHeading = "%nExit codes:%n",
    footer = {"  0  ok", "  1  other error (refused reload or injection, incomplete drain, server error)",
        "  2  usage error", "  3  server unreachable or no answer in time", "  4  not found", "  5  invalid argument",
        "  6  unauthenticated or permission denied"})
public final class RunnelCtl {

  @Option(names = {"-s", "--server"}, paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
      defaultValue = "${env:RUNNEL_SERVER:-" + RunnelClient.DEFAULT_TARGET + "}",
      description = "Control-plane address (default: $RUNNEL_SERVER, else ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "Bearer token (visible in ps: prefer --token-file).")
  Optional<String> token;

  @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "File holding the bearer token (the daemon's [grpc] token_file).")
  Optional<Path> tokenFile;

  @Option(names = "--tls", scope = ScopeType.INHERIT, description = "Use TLS, trusting the JVM's CA certificates.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Use TLS, trusting the PEM CA certificates in FILE.")
  Optional<Path> tlsCa;

  @Option(names = "--tls-server-name", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "Name the server certificate must carry, when --server gives an IP address.")
  Optional<String> tlsServerName;

  @Option(names = "--cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Client certificate chain (PEM), with --key; implies TLS.")
  Optional<Path> cert;

  @Option(names = "--key", paramLabel = "FILE", scope = ScopeType.INHERIT, description = "Client private key (PEM, PKCS#8).")
  Optional<Path> key;

  @Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "30s",
      converter = DurationConverter.class, description = "Deadline of each call: 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print JSON for scripts: one document, or one line per element of a stream.")
  boolean json;

  public static void main(String[] args) {
    System.exit(commandLine(System.in).execute(args));
  }

  /** The command line with runnelctl's exit codes for failed calls; {@code inject} reads {@code stdin}. */
  public static CommandLine commandLine(InputStream stdin) {
    CommandLine cli = new CommandLine(new RunnelCtl())
        .addSubcommand(new QueueCommand())
        .addSubcommand(new InjectCommand(stdin))
        .addSubcommand(new AdminCommand())
        .addSubcommand(new HealthCommand())
        .addSubcommand(new CompletionCommand());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof RunnelClientException failed) {
        String where = failed.code() == Status.Code.UNAVAILABLE ? "cannot reach " + ((RunnelCtl) line.getCommandSpec().root().userObject()).server + ": " : "";
        line.getErr().println("runnelctl: " + where + failed.getMessage());
        return ExitCodes.forStatus(failed.code());
      }
      if (e instanceof UncheckedIOException io) {
        line.getErr().println("runnelctl: " + io.getMessage());
        return ExitCodes.USAGE;
      }
      throw e;
    });
    return cli;
  }

  /** A client for these options; usage errors (unreadable token file, --cert without --key) as picocli's. */
  RunnelClient connect(CommandLine line) {
    if (cert.isPresent() != key.isPresent()) throw new ParameterException(line, "--cert and --key go together");
    if (token.isPresent() && tokenFile.isPresent()) throw new ParameterException(line, "give --token or --token-file, not both");
    RunnelClient.Builder builder = RunnelClient.builder().target(server).callTimeout(timeout);
    if (tls) builder.tls();
    tlsCa.ifPresent(builder::trustCertificates);
    tlsServerName.ifPresent(builder::tlsServerName);
    cert.ifPresent(c -> builder.clientCertificate(c, key.orElseThrow()));
    token.ifPresent(builder::bearerToken);
    if (tokenFile.isPresent()) builder.bearerToken(readToken(line, tokenFile.get()));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(line, e.getMessage(), e);
    }
  }

  private static String readToken(CommandLine line, Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new ParameterException(line, "cannot read token file " + file + ": " + e.getMessage(), e);
    }
  }
}
