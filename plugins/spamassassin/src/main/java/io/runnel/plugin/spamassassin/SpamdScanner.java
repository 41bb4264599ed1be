package io.runnel.plugin.spamassassin;

import io.runnel.api.mail.MessageView;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import io.runnel.api.scan.MessageScanner;
import io.runnel.api.scan.ScanResult;
import org.pf4j.Extension;

/**
 * Asks SpamAssassin's spamd for a message's score and rules and reports them as {@link ScanResult.Spam}, whatever the
 * score: thresholds and the action (tag, reject) are the kernel's policy, not spamd's {@code required_score}.
 * Messages over {@code max_size} are not sent ({@link ScanResult.Unscannable}); spamd errors, protocol errors and
 * timeouts are thrown, so the kernel applies its failure action. Keeps no state between calls; thread-safe.
 */
@Extension
public final class SpamdScanner implements MessageScanner {

    private final SpamdConfig config;
    private final SpamdClient client;

    public SpamdScanner(PluginContext context) throws PluginConfigException {
        this.config = SpamdConfig.read(context.config());
        this.client = new SpamdClient(config.host(), config.port(), config.timeout(), config.user());
    }

    @Override
    public ScanResult scan(MessageView message) throws Exception {
        long size = message.size();
        if (size > config.maxSize()) {
            return new ScanResult.Unscannable("too large");
        }
        SpamdResponse response = client.symbols(message);
        return new ScanResult.Spam(response.score(), response.symbols());
    }
}
