package io.runnel.examples.stamp;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import io.runnel.api.sign.MessageSigner;
import io.runnel.api.sign.SigningRequest;
import java.util.List;
import org.pf4j.Extension;

/**
 * Adds {@code X-Stamped-By: <text>} to every message at reception. Configured in {@code runnel.toml}:
 * <pre>
 * [plugins.header-stamp]
 * text = "outbound-1"
 * </pre>
 * Immutable after construction, so concurrent calls are safe.
 */
@Extension
public final class HeaderStampSigner implements MessageSigner {

    private final HeaderField stamp;

    /** Reads and checks the configuration once; a bad value stops Runnel's start with file, line and key. */
    public HeaderStampSigner(PluginContext context) throws PluginConfigException {
        ConfigSection config = context.config();
        String text = config.string("text").orElseThrow(() -> config.error("text", "missing"));
        if (text.isBlank() || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw config.error("text", "must be one non-empty line");
        }
        config.rejectUnknownKeys();
        stamp = HeaderField.of("X-Stamped-By", text);
    }

    @Override
    public List<HeaderField> sign(SigningRequest request) {
        return List.of(stamp);
    }
}
