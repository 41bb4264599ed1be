package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.TempFolders;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMTP client -> runnel -> sinks (accepting, refusing with 550, deferring with 452) over real sockets, then the
 * metrics endpoint scraped over HTTP and read with a strict parser of the text format.
 */
class MetricsEndToEndTest {

    private static Path home;
    private static TestDnsServer dns;
    private static final List<SmtpSink> sinks = new ArrayList<>();
    private static TestDaemon daemon;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("runnel-metrics-");
        int port = LoopbackPorts.free("127.0.0.2");
        sink(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.2")).withPort(port));
        sink(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.3")).withPort(port)
                .withRecipientPolicy(recipient -> SinkReply.of(550, "5.1.1 No such user")));
        sink(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.4")).withPort(port)
                .withRecipientPolicy(recipient -> SinkReply.of(452, "4.2.2 Mailbox full")));
        sink(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.5")).withPort(port));
        dns = TestDnsServer.start()
                .mx("good.example", 10, "mx.good.example").a("mx.good.example", "127.0.0.2")
                .mx("bad.example", 10, "mx.bad.example").a("mx.bad.example", "127.0.0.3")
                .mx("slow.example", 10, "mx.slow.example").a("mx.slow.example", "127.0.0.4")
                .mx("sender.example", 10, "mx.sender.example").a("mx.sender.example", "127.0.0.5");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d

                [queues]
                retry_interval = "1s"
                max_retry_interval = "2s"

                [metrics]
                enabled = true
                listen = "127.0.0.1:0"
                max_tenants = 2
                max_sites = 2

                [redis]
                url = "redis://127.0.0.1:9"   # nothing listens: the daemon runs on local limits

                [[listener]]
                name = "inbound"
                bind = "127.0.0.1:0"
                max_message_size = "64KiB"
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port));
    }

    @AfterAll
    static void stop() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        sinks.forEach(SmtpSink::close);
        if (dns != null) {
            dns.close();
        }
        TempFolders.delete(home);
    }

    @Test
    void countersFollowRealMailAndExtraTenantsFoldIntoOther() throws Exception {
        send("t1", "bob@good.example");
        send("t2", "carol@bad.example");
        send("t3", "dave@slow.example");
        send("t4", "erin@good.example");
        assertThat(sendOversized()).startsWith("552");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusText m = scrape();
            assertThat(m.value("runnel_messages_received_total", "tenant", "t1")).contains(1.0);
            assertThat(m.value("runnel_messages_received_total", "tenant", "t2")).contains(1.0);
            assertThat(m.value("runnel_messages_received_total", "tenant", "other")).contains(2.0);
            assertThat(m.labelValues("runnel_messages_received_total", "tenant")).doesNotContain("t3", "t4");
            assertThat(m.value("runnel_messages_received_total", "tenant", "none")).hasValueSatisfying(
                    n -> assertThat(n).isGreaterThanOrEqualTo(1.0)); // the bounce for carol
            assertThat(m.value("runnel_messages_rejected_total", "reason", "size")).contains(1.0);

            assertThat(m.value("runnel_delivery_outcomes_total", "tenant", "t1", "outcome", "delivered")).contains(1.0);
            assertThat(m.value("runnel_delivery_outcomes_total", "tenant", "t2", "outcome", "bounced")).contains(1.0);
            assertThat(m.value("runnel_delivery_outcomes_total", "tenant", "other", "outcome", "delivered")).contains(1.0);
            assertThat(m.value("runnel_delivery_outcomes_total", "tenant", "other", "outcome", "deferred"))
                    .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1.0));
            assertThat(m.sum("runnel_delivery_outcomes_by_site_total", "outcome", "bounced")).isEqualTo(1.0);
            assertThat(m.value("runnel_queue_scheduled_messages", "tenant", "other"))
                    .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1.0)); // dave keeps being deferred
        });

        PrometheusText m = scrape();
        // four sites had outcomes (good, bad, slow, and sender for the bounce): two keep their name
        assertThat(m.labelValues("runnel_delivery_outcomes_by_site_total", "site")).hasSize(3).contains("other");
        assertThat(m.sum("runnel_delivery_outcomes_by_site_total", "outcome", "delivered"))
                .isEqualTo(m.sum("runnel_delivery_outcomes_total", "outcome", "delivered"));
        assertThat(m.value("runnel_spool_commit_duration_seconds_count")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("runnel_spool_commit_batch_size_writes_count")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("runnel_spool_messages_stored_total")).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(5));
        assertThat(m.value("runnel_spool_messages")).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1.0));
        assertThat(m.value("runnel_spool_used_bytes")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("runnel_dns_query_duration_seconds_count", "type", "MX", "outcome", "answer"))
                .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(4));
        assertThat(m.value("runnel_smtp_sessions", "listener", "inbound")).isPresent();
        assertThat(m.value("runnel_delivery_log_dropped_records_total")).contains(0.0);
        assertThat(m.type("runnel_spool_commit_duration_seconds")).contains("histogram");
        assertThat(m.type("runnel_messages_received_total")).contains("counter");
    }

    @Test
    void jvmAndProcessMetricsAreThere() throws Exception {
        PrometheusText m = scrape();
        assertThat(m.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(m.value("jvm_threads_live_threads")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("jvm_classes_loaded_classes")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.type("jvm_gc_max_data_size_bytes")).contains("gauge");
        assertThat(m.value("process_uptime_seconds")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("process_files_open_files")).hasValueSatisfying(n -> assertThat(n).isPositive());
        assertThat(m.value("process_cpu_usage")).isPresent();
    }

    @Test
    void aRedisThatIsDownAtStartShowsAsDownWhileTheDaemonRuns() throws Exception {
        PrometheusText m = scrape();
        assertThat(m.value("runnel_redis_up")).contains(0.0);
        assertThat(m.value("runnel_redis_failures_total")).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1));
        assertThat(m.type("runnel_redis_fallbacks_total")).contains("counter");
    }

    @Test
    void servesTheTextFormatAndOpenMetricsWhenAsked() throws Exception {
        HttpResponse<String> text = get("/metrics", "*/*");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");

        HttpResponse<String> open = get("/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(open.body()).endsWith("# EOF\n");
    }

    @Test
    void otherPathsAnswer404() throws Exception {
        assertThat(get("/", "*/*").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra", "*/*").statusCode()).isEqualTo(404);
        assertThat(get("/favicon.ico", "*/*").statusCode()).isEqualTo(404);
    }

    @Test
    void everyRunnelMetricIsDocumentedInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher types = Pattern.compile("(?m)^# TYPE (runnel_\\S+) ").matcher(get("/metrics", "*/*").body());
        List<String> families = new ArrayList<>();
        while (types.find()) {
            families.add(types.group(1));
        }
        assertThat(families).isNotEmpty();
        assertThat(families).allSatisfy(family -> assertThat(readme).contains("`" + family + "`"));
    }

    private static PrometheusText scrape() throws Exception {
        HttpResponse<String> response = get("/metrics", "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        InetSocketAddress at = daemon.get(MetricsEndpoint.class).address().orElseThrow();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void send(String tenant, String to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(daemon.port()));
        props.put("mail.smtp.localhost", "client.example");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setHeader("X-Tenant", tenant);
        message.setSubject("metrics");
        message.setText("hello " + to);
        Transport.send(message);
    }

    /** A message over the listener's 64KiB limit, without SIZE, so it is refused at the end of DATA. */
    private static String sendOversized() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", daemon.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            for (String command : List.of("HELO client.example", "MAIL FROM:<alice@sender.example>", "RCPT TO:<bob@good.example>",
                    "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                reply(in);
            }
            String line = "x".repeat(998) + "\r\n";
            for (int i = 0; i < 80; i++) {
                out.write(line.getBytes(StandardCharsets.US_ASCII));
            }
            out.write(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }
    }

    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line;
    }

    private static void sink(SinkOptions options) throws IOException {
        sinks.add(SmtpSink.start(options.keepingMessages(true)));
    }
}
