package io.runnel.kernel.cli;

import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.spool.LmdbSpool;
import io.runnel.kernel.spool.SpoolException;
import io.runnel.kernel.spool.SpoolId;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runnel spool ...}: looks into the spool. LMDB lets a second process read while the daemon writes, so this
 * works on a running daemon's spool too.
 */
@Command(name = "spool", description = "Look into the spool.",
        subcommands = {SpoolCommand.ListMessages.class, SpoolCommand.Show.class, SpoolCommand.Count.class})
final class SpoolCommand {

    @ParentCommand
    private RunnelCommand parent;

    /** Opens the configured spool, runs {@code action}, closes it. */
    private int withSpool(SpoolAction action) throws IOException {
        Optional<RunnelConfig> loaded = parent.configOrReport();
        if (loaded.isEmpty()) {
            return RunnelCommand.CONFIG_ERROR;
        }
        RunnelConfig config = loaded.get();
        if (!Files.isDirectory(config.spool().path())) {
            System.err.println("runnel: no spool at " + config.spool().path());
            return 1;
        }
        LmdbSpool spool = new LmdbSpool(config.spool());
        try {
            spool.start();
            return action.run(spool, System.out);
        } catch (SpoolException e) {
            System.err.println("runnel: spool error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("runnel: cannot open the spool at " + config.spool().path() + ": " + e.getMessage());
            return 1;
        } finally {
            spool.stop(Duration.ofSeconds(5));
        }
    }

    private interface SpoolAction {
        int run(LmdbSpool spool, PrintStream out) throws SpoolException, IOException;
    }

    @Command(name = "list", description = "One line per spooled message: id, received, size, sender, recipients.")
    static final class ListMessages implements Callable<Integer> {
        @ParentCommand
        private SpoolCommand spoolCommand;

        @Option(names = "--limit", defaultValue = "1000", description = "Show at most this many (default ${DEFAULT-VALUE}).")
        long limit;

        @Override
        public Integer call() throws IOException {
            return spoolCommand.withSpool((spool, out) -> {
                AtomicLong shown = new AtomicLong();
                spool.forEach(meta -> {
                    if (shown.getAndIncrement() < limit) {
                        out.println(meta.id() + "  " + meta.receivedAt() + "  " + meta.bodySize() + "  <" + meta.sender() + ">  "
                                + meta.recipients().stream().map(r -> "<" + r.address() + ">").collect(Collectors.joining(",")));
                    }
                }, corrupt -> out.println(corrupt.id() + "  CORRUPT  " + corrupt.getMessage()));
                return 0;
            });
        }
    }

    @Command(name = "count", description = "Number of spooled messages and their total size.")
    static final class Count implements Callable<Integer> {
        @ParentCommand
        private SpoolCommand spoolCommand;

        @Override
        public Integer call() throws IOException {
            return spoolCommand.withSpool((spool, out) -> {
                AtomicLong messages = new AtomicLong();
                AtomicLong bytes = new AtomicLong();
                spool.forEach(meta -> {
                    messages.incrementAndGet();
                    bytes.addAndGet(meta.bodySize());
                }, corrupt -> { });
                out.println(messages.get() + " messages, " + bytes.get() + " bytes");
                return 0;
            });
        }
    }

    @Command(name = "show", description = "A message's envelope and metadata; with --body its stored content.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        private SpoolCommand spoolCommand;

        @Parameters(index = "0", paramLabel = "ID", description = "Spool id (32 hex digits), as in the 250 reply.")
        String id;

        @Option(names = "--body", description = "Print the stored message (Received header included) exactly.")
        boolean body;

        @Override
        public Integer call() throws IOException {
            SpoolId spoolId;
            try {
                spoolId = SpoolId.parse(id);
            } catch (IllegalArgumentException e) {
                System.err.println("runnel: " + e.getMessage());
                return 2;
            }
            return spoolCommand.withSpool((spool, out) -> {
                if (body) {
                    Optional<byte[]> content = spool.loadBody(spoolId);
                    if (content.isEmpty()) {
                        System.err.println("runnel: no message " + spoolId);
                        return 1;
                    }
                    out.write(content.get());
                    out.flush();
                    return 0;
                }
                Optional<MessageMeta> meta = spool.loadMeta(spoolId);
                if (meta.isEmpty()) {
                    System.err.println("runnel: no message " + spoolId);
                    return 1;
                }
                print(meta.get(), out);
                return 0;
            });
        }

        private static void print(MessageMeta m, PrintStream out) {
            out.println("id:          " + m.id());
            out.println("received:    " + m.receivedAt());
            out.println("size:        " + m.bodySize());
            out.println("sender:      <" + m.sender() + ">");
            for (Recipient r : m.recipients()) {
                out.println("recipient:   <" + r.address() + "> " + r.state().name().toLowerCase()
                        + (r.notifyOn().isEmpty() ? "" : " notify=" + r.notifyOn())
                        + r.originalRecipient().map(o -> " orcpt=" + o).orElse(""));
            }
            out.println("body:        " + m.parameters().body() + (m.parameters().smtpUtf8() ? " smtputf8" : ""));
            m.parameters().ret().ifPresent(ret -> out.println("dsn ret:     " + ret));
            m.parameters().envelopeId().ifPresent(envid -> out.println("dsn envid:   " + envid));
            out.println("from:        " + m.reception().peerAddress() + " helo=" + m.reception().helo()
                    + " listener=" + m.reception().listener() + " with " + m.reception().protocol()
                    + m.reception().authIdentity().map(a -> " auth=" + a).orElse("")
                    + m.reception().tls().map(t -> " tls=" + t.protocol() + "/" + t.cipher()).orElse(""));
            m.tenant().ifPresent(t -> out.println("tenant:      " + t));
            m.campaign().ifPresent(c -> out.println("campaign:    " + c));
            out.println("attempts:    " + m.attempts());
            out.println("due:         " + m.dueAt());
        }
    }
}
