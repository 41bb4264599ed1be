package io.runnel.plugin.clamav;

import io.runnel.api.mail.MessageView;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import io.runnel.api.scan.MessageScanner;
import io.runnel.api.scan.ScanResult;
import java.io.IOException;
import java.io.InputStream;
import org.pf4j.Extension;

/**
 * Scans each message with clamd (INSTREAM over TCP). Reports only: Clean, Infected with clamd's signature name, or
 * Unscannable when the message exceeds {@code stream_max_length}; rejecting or tagging is the kernel's policy. An
 * unreachable, slow or failing clamd is an exception, so the kernel applies its configured failure action.
 * Stateless apart from configuration, hence safe for concurrent calls.
 */
@Extension
public final class ClamdScanner implements MessageScanner {


    private final ClamdConfig config;
    private final ClamdClient client;

    public ClamdScanner(PluginContext context) throws PluginConfigException {
        this.config = ClamdConfig.read(context.config());
        this.client = new ClamdClient(config.host(), config.port(), config.timeout(), config.chunkSize());
    }

    @Override
    public ScanResult scan(MessageView message) throws Exception {
        long size = message.size();
        if (size > config.streamMaxLength()) {
            return new ScanResult.Unscannable("too large: " + size + " bytes exceed stream_max_length "
                    + config.streamMaxLength());
        }
        return client.scan(out -> {
            try (InputStream whole = message.openMessage()) {
                whole.transferTo(out);
            }
        });
    }

    /**
     * A health check for operators: throws when clamd cannot be reached in time or does not answer PING with PONG,
     * else returns its version line (engine and signature database).
     */
    public String health() throws IOException {
        if (!client.ping()) {
            throw new IOException("clamd at " + config.host() + ":" + config.port() + " did not answer PONG");
        }
        return client.version();
    }
}
