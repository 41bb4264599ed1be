package io.runnel.kernel.ingest;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import io.runnel.api.scan.MessageScanner;
import io.runnel.api.scan.ScanResult;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.config.ScanningConfig;
import io.runnel.kernel.config.ScanningConfig.ScanPolicy;
import io.runnel.kernel.plugin.OnFailure;
import io.runnel.kernel.plugin.PluginExtension;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.plugin.PluginInvoker;
import io.runnel.kernel.plugin.PluginResult;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every scanner plugin (SpamAssassin, ClamAV) on a received message, concurrently and off the event loop,
 * before it is signed and spooled, and turns what they report into a decision by the tenant's policy
 * ({@code [scanning]}): refuse, tag with headers, or accept. Scanners only report; policy lives here.
 */
final class Scanners {

    private static final Logger log = LoggerFactory.getLogger(Scanners.class);
    private static final SmtpReply SPAM = SmtpReply.of(550, "5.7.1", "Message rejected as spam");
    private static final SmtpReply UNAVAILABLE = SmtpReply.of(451, "4.7.1", "Content scanner unavailable, try again later");

    private final PluginHost plugins;
    private final PluginInvoker invoker;
    private final ScanningConfig config;

    @Inject
    Scanners(PluginHost plugins, PluginInvoker invoker, RunnelConfig config) {
        this.plugins = plugins;
        this.invoker = invoker;
        this.config = config.scanning();
    }

    /** Scans {@code message} ({@code size} octets) for {@code tenant}; the view must stay valid until completion. */
    CompletableFuture<ScanReport> scan(MessageView message, long size, Optional<String> tenant) {
        List<PluginExtension<MessageScanner>> scanners = plugins.extensions(MessageScanner.class);
        if (scanners.isEmpty()) {
            return CompletableFuture.completedFuture(ScanReport.NOTHING);
        }
        if (size > config.maxSize()) {
            log.atInfo().addKeyValue("size", size).log("message over scanning.max_size: not scanned");
            String reason = "too large (" + size + " octets)";
            return CompletableFuture.completedFuture(new ScanReport(Optional.empty(),
                    List.of(HeaderField.of("X-Runnel-Not-Scanned", reason)), Map.of("scan", "not scanned: " + reason)));
        }
        List<CompletableFuture<PluginResult<ScanResult>>> calls = new ArrayList<>();
        for (PluginExtension<MessageScanner> scanner : scanners) {
            calls.add(invoker.call(scanner.pluginId(), "MessageScanner", config.timeout(), OnFailure.CONTINUE,
                    () -> scanner.extension().scan(message)));
        }
        ScanPolicy policy = config.policyFor(tenant);
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> decide(scanners, calls.stream().map(CompletableFuture::join).toList(), policy));
    }

    private ScanReport decide(List<PluginExtension<MessageScanner>> scanners, List<PluginResult<ScanResult>> results,
                              ScanPolicy policy) {
        List<SmtpReply> refusals = new ArrayList<>();
        List<HeaderField> headers = new ArrayList<>();
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            String plugin = scanners.get(i).pluginId();
            PluginResult<ScanResult> result = results.get(i);
            if (result instanceof PluginResult.Failed<ScanResult> failed) {
                log.atWarn().addKeyValue("plugin", plugin).log("scanner failed: {}", failed.reason());
                facts.put("scan_" + plugin, "unavailable");
                if (policy.unavailable() == ScanningConfig.Unavailable.TEMPFAIL) {
                    refusals.add(UNAVAILABLE);
                } else {
                    headers.add(HeaderField.of("X-Runnel-Not-Scanned", plugin + ": scanner unavailable"));
                }
            } else if (result instanceof PluginResult.Success<ScanResult> success) {
                apply(plugin, success.value(), policy, refusals, headers, facts);
            } else {
                throw new IllegalStateException("unhandled plugin result " + result);
            }
        }
        // a permanent refusal (virus, spam) outranks "try again later"
        Optional<SmtpReply> refusal = refusals.stream().filter(SmtpReply::isPermanent).findFirst().or(() -> refusals.stream().findFirst());
        return new ScanReport(refusal, headers, facts);
    }

    private static void apply(String plugin, ScanResult found, ScanPolicy policy, List<SmtpReply> refusals,
                              List<HeaderField> headers, Map<String, String> facts) {
        if (found instanceof ScanResult.Clean) {
            facts.put("scan_" + plugin, "clean");
        } else if (found instanceof ScanResult.Infected infected) {
            String name = printable(infected.name());
            facts.put("virus", name);
            if (policy.virusAction() == ScanningConfig.VirusAction.REJECT) {
                refusals.add(SmtpReply.of(554, "5.7.1", "Message rejected: virus found: " + name));
            } else {
                headers.add(HeaderField.of("X-Virus-Found", name));
            }
        } else if (found instanceof ScanResult.Spam spam) {
            boolean isSpam = spam.score() >= policy.spamThreshold();
            String score = String.format(Locale.ROOT, "%.1f", spam.score());
            String symbols = printable(String.join(",", spam.symbols()));
            facts.put("spam_score", score);
            facts.put("spam_symbols", symbols);
            if (isSpam && policy.spamAction() == ScanningConfig.SpamAction.REJECT) {
                refusals.add(SPAM);
                return;
            }
            headers.add(HeaderField.of("X-Spam-Score", score));
            headers.add(HeaderField.of("X-Spam-Status", (isSpam ? "Yes" : "No") + ", score=" + score + " required="
                    + String.format(Locale.ROOT, "%.1f", policy.spamThreshold()) + " tests=" + symbols));
            if (isSpam && policy.spamAction() == ScanningConfig.SpamAction.TAG) {
                headers.add(HeaderField.of("X-Spam-Flag", "YES"));
            }
        } else if (found instanceof ScanResult.Unscannable unscannable) {
            facts.put("scan_" + plugin, "unscannable: " + printable(unscannable.reason()));
            headers.add(HeaderField.of("X-Runnel-Not-Scanned", plugin + ": " + printable(unscannable.reason())));
        } else {
            throw new IllegalStateException("unhandled scan result " + found);
        }
    }

    /** Scanner output goes into header fields and replies: keep it to one harmless line. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
