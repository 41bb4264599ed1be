package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.ListSuspensionsResponse;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SummaryRow;
import io.runnel.sdk.ctl.RunnelCtl;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runnelctl against the assembled daemon ({@code bin/runnel}) delivering to a sink in this JVM: suspensions hold
 * one tenant's mail while another's flows, a campaign is bounced, held mail is rebound to another tenant, and a
 * suspension outlives a restart. The last steps run the {@code bin/runnelctl} launcher itself.
 */
class RunnelctlIT {

    @TempDir
    Path home;

    private String server;
    /** Spool id of each message {@link #inject} handed in, by recipient. */
    private final Map<String, String> injected = new HashMap<>();

    record Run(int exit, String out, String err) {
    }

    @Test
    void queueControlOverTheControlPlaneOfTheRealDaemon() throws Exception {
        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true).withPort(0))) {
            int smtpPort = RunnelProcess.freePort();
            int grpcPort = RunnelProcess.freePort();
            server = "127.0.0.1:" + grpcPort;
            writeConfiguration(smtpPort, grpcPort, sink.port());

            try (RunnelProcess runnel = RunnelProcess.start(home, smtpPort, home.resolve("first.log"))) {
                awaitServing();
                assertThat(ctl("queue", "suspend", "--tenant", "acme", "--reason", "complaint spike").exit()).isZero();
                assertThat(ctl("queue", "suspend", "--tenant", "globex", "--reason", "warming up", "--for", "2h").exit()).isZero();

                for (String to : List.of("a1@example.net", "a2@example.net", "a3@example.org")) {
                    inject("acme", "spring", to);
                }
                inject("acme", "oops", "o1@example.net", "--meta", "customer=42", "--meta", "batch=7");
                inject("acme", "oops", "o2@example.net");
                inject("initech", "hello", "i1@example.net");
                inject("initech", "hello", "i2@example.org");
                injectStream("globex", "g1@example.net", "g2@example.net");

                // the tenant nobody suspended flows; the others are held
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered(sink).containsAll(List.of("i1@example.net", "i2@example.org")));
                Map<String, SummaryRow> byTenant = summaryByTenant();
                assertThat(byTenant.keySet()).containsExactlyInAnyOrder("acme", "globex");
                assertThat(byTenant.get("acme").getMessages()).isEqualTo(5);
                assertThat(byTenant.get("acme").getSuspended()).isEqualTo(5);
                assertThat(byTenant.get("globex").getMessages()).isEqualTo(2);
                assertThat(status().getSuspensions()).isEqualTo(2);
                // delivered mail leaves the spool once its record is logged, a moment after the sink has it
                await().atMost(Duration.ofSeconds(10)).until(() -> status().getSpooledMessages() == 7);
                // metadata given at injection is kept with the held message; a reserved key is refused, nothing stored
                Run meta = ctl("queue", "inspect", injected.get("o1@example.net"));
                assertThat(meta.out()).containsPattern("meta batch: +7").containsPattern("meta customer: +42");
                Run reserved = ctl("inject", "--from", "news@acme.example", "--to", "x@example.net", "--text", "x",
                        "--meta", "tenant=other");
                assertThat(reserved.exit()).isEqualTo(5);
                assertThat(reserved.err()).contains("INVALID_ARGUMENT", "tenant");
                Run table = ctl("queue", "summary", "--by", "tenant,campaign");
                assertThat(table.out()).contains("TENANT", "acme    spring", "acme    oops", "globex", "TOTAL");

                // bounce one campaign of the held tenant: only its two messages go
                Run bounced = ctl("queue", "bounce", "--campaign", "oops", "--reason", "sent by mistake", "--no-dsn", "--json");
                assertThat(bounced.exit()).as(bounced.err()).isZero();
                assertThat(parse(bounced.out(), AdminBounceResponse.newBuilder()).getBouncedNow()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(10)).until(() -> summaryByTenant().get("acme").getMessages() == 3);

                // move globex's held mail to a tenant that is not suspended: it leaves at once
                Run rebound = ctl("queue", "rebind", "--tenant", "globex", "--to-tenant", "initech", "--retry-now");
                assertThat(rebound.out()).isEqualTo("rebound 2 messages\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered(sink).containsAll(List.of("g1@example.net", "g2@example.net")));
                assertThat(summaryByTenant().keySet()).containsExactly("acme");

                assertThat(runnel.stop()).isZero();
            }

            // the suspension is on disk: after a restart acme's mail is still held, until resumed
            try (RunnelProcess runnel = RunnelProcess.start(home, smtpPort, home.resolve("second.log"))) {
                awaitServing();
                ListSuspensionsResponse suspensions = parse(ctl("queue", "suspensions", "--json").out(), ListSuspensionsResponse.newBuilder()).build();
                // globex's suspension outlives its mail (rebound away) until its two hours are over; acme's has no end
                assertThat(suspensions.getSuspensionsList()).extracting(s -> s.getSelector().getTenant() + " " + s.hasExpiresAt())
                        .containsExactlyInAnyOrder("acme false", "globex true");
                SummaryRow acme = summaryByTenant().get("acme");
                assertThat(acme.getMessages()).isEqualTo(3);
                assertThat(acme.getSuspended()).isEqualTo(3);
                assertThat(delivered(sink)).doesNotContain("a1@example.net", "a2@example.net", "a3@example.org", "o1@example.net");

                Run resumed = launcher("queue", "resume", "--tenant", "acme");
                assertThat(resumed.exit()).as(resumed.err()).isZero();
                assertThat(resumed.out()).contains("tenant=acme", "complaint spike");
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered(sink).containsAll(List.of("a1@example.net", "a2@example.net", "a3@example.org")));
                assertThat(delivered(sink)).doesNotContain("o1@example.net", "o2@example.net");

                Run health = launcher("health");
                assertThat(health.out()).isEqualTo("SERVING\n");
                assertThat(launcher("queue", "inspect", "0".repeat(32)).exit()).isEqualTo(4);
                assertThat(runnel.stop()).isZero();
            }
        }
    }

    private void writeConfiguration(int smtpPort, int grpcPort, int sinkPort) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), """
                [spool]
                map_size = "256MiB"

                # every domain goes to the sink; no resolver is ever asked
                [dns]
                name_servers = ["127.0.0.1:9"]
                timeout = "200ms"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [delivery]
                enable_tls = "disabled"

                [grpc]
                listen = "127.0.0.1:%d"

                [[listener]]
                name = "test"
                bind = "127.0.0.1:%d"
                tls = "off"
                """.formatted(sinkPort, grpcPort, smtpPort));
    }

    private void inject(String tenant, String campaign, String to, String... more) {
        List<String> args = new ArrayList<>(List.of("inject", "--from", "news@" + tenant + ".example", "--to", to,
                "--subject", "Hello " + to, "--text", "Hi there", "--tenant", tenant, "--campaign", campaign));
        args.addAll(List.of(more));
        Run r = ctl(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("accepted ");
        injected.put(to, r.out().split(" ")[1]);
    }

    /** Several .eml files go over one InjectStream. */
    private void injectStream(String tenant, String... recipients) throws Exception {
        List<String> args = new ArrayList<>(List.of("inject", "--json", "--tenant", tenant, "--campaign", "welcome"));
        for (String to : recipients) {
            Path eml = Files.writeString(home.resolve(to + ".eml"),
                    "From: news@" + tenant + ".example\r\nTo: " + to + "\r\nSubject: welcome\r\n\r\nHello\r\n");
            args.add(eml.toString());
            args.addAll(List.of("--rcpt", to));
        }
        Run r = ctl(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().map(l -> parse(l, InjectResult.newBuilder()).hasAccepted()).toList())
                .hasSize(recipients.length).containsOnly(true);
    }

    private void awaitServing() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> ctl("health").exit() == 0);
    }

    private StatusResponse status() {
        return parse(ctl("admin", "status", "--json").out(), StatusResponse.newBuilder()).build();
    }

    private Map<String, SummaryRow> summaryByTenant() {
        Run r = ctl("queue", "summary", "--by", "tenant", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        return parse(r.out(), SummaryResponse.newBuilder()).getRowsList().stream()
                .collect(Collectors.toMap(SummaryRow::getTenant, row -> row));
    }

    private static List<String> delivered(SmtpSink sink) {
        return sink.received().stream().map(ReceivedMessage::recipients).flatMap(List::stream).toList();
    }

    /** runnelctl in this JVM. */
    private Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = concat(args, "--server", server);
        int exit = RunnelCtl.commandLine(new ByteArrayInputStream(new byte[0])).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The {@code bin/runnelctl} launcher of the assembled tree. */
    private Run launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RunnelProcess.dist().resolve("bin/runnelctl").toString()));
        command.addAll(Arrays.asList(concat(args, "--server", server)));
        Path out = Files.createTempFile(home, "ctl", ".out");
        Path err = Files.createTempFile(home, "ctl", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/runnelctl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static <B extends com.google.protobuf.Message.Builder> B parse(String json, B builder) {
        try {
            JsonFormat.parser().merge(json, builder);
            return builder;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("not a " + builder.getDescriptorForType().getName() + ": " + json, e);
        }
    }
}
