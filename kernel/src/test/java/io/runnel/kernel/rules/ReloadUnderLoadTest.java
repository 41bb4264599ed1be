package io.runnel.kernel.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads (rules and runnel.toml) while concurrent SMTP clients send: no message is refused or lost. */
class ReloadUnderLoadTest {

    private static final int CLIENTS = 4;
    private static final int PER_CLIENT = 40;

    @TempDir
    Path home;

    @Test
    void noMessageIsRefusedOrLostWhileTheConfigurationIsReloaded() throws Exception {
        Path rules = Files.createDirectories(home.resolve("rules"));
        Files.writeString(rules.resolve("global.groovy"), rule(0));
        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true))) {
            String toml = """
                    [[route]]
                    domain = "*"
                    hosts = ["127.0.0.1:%d"]

                    [queues]
                    retry_interval = "%s"
                    """;
            TestDaemon daemon = TestDaemon.start(home, toml.formatted(sink.port(), "1s"));
            try {
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<List<String>>> replies = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    replies.add(clients.submit(() -> {
                        List<String> got = new ArrayList<>();
                        try (SmtpTestClient smtp = new SmtpTestClient(daemon.port())) {
                            for (int i = 0; i < PER_CLIENT; i++) {
                                got.add(smtp.send("c" + client + "m" + i + "@dest.example",
                                        "From: a@sender.example\r\nSubject: load\r\n\r\nbody\r\n"));
                            }
                        }
                        return got;
                    }));
                }
                ConfigReloader reloader = daemon.get(ConfigReloader.class);
                int reloads = 0;
                for (int generation = 1; replies.stream().anyMatch(f -> !f.isDone()); generation++) {
                    // written as deploy tools should: a new file renamed over the old, so the watcher never reads half a file
                    atomicWrite(rules.resolve("global.groovy"), rule(generation));
                    Path conf = home.resolve("conf/runnel.toml");
                    atomicWrite(conf, Files.readString(conf).replaceAll("retry_interval = \"\\d+s\"",
                            "retry_interval = \"" + (1 + generation % 2) + "s\""));
                    ReloadReport report = reloader.reload();
                    assertThat(report.applied()).as(report.toString()).isTrue();
                    reloads++;
                }
                for (Future<List<String>> f : replies) {
                    assertThat(f.get()).hasSize(PER_CLIENT).allSatisfy(reply -> assertThat(reply).startsWith("250"));
                }
                clients.shutdown();
                assertThat(reloads).isGreaterThan(1);
                await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == CLIENTS * PER_CLIENT);
                assertThat(sink.received()).allSatisfy(m ->
                        assertThat(new String(m.content(), StandardCharsets.UTF_8)).containsPattern("\r\nX-Generation: \\d+\r\n"));
                await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
            } finally {
                daemon.close();
            }
        }
    }

    private static void atomicWrite(Path file, String text) throws java.io.IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String rule(int generation) {
        return "reception {\n    addHeader 'X-Generation', '" + generation + "'\n}\n";
    }
}
