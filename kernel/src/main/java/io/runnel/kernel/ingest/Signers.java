package io.runnel.kernel.ingest;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.MessageSigner;
import io.runnel.api.sign.SigningRequest;
import io.runnel.kernel.config.ReceptionConfig;
import io.runnel.kernel.config.ReceptionConfig.SigningFailure;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.plugin.OnFailure;
import io.runnel.kernel.plugin.PluginExtension;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.plugin.PluginInvoker;
import io.runnel.kernel.plugin.PluginResult;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every signing plugin (DKIM, ...) on a received message before it is spooled, so each message is signed
 * once. Calls go through the plugin invoker: off the event loop, with a deadline; a failed signer refuses the
 * message for now (451 4.3.5) or lets it through unsigned, as {@code [reception] signing_failure} says.
 */
final class Signers {

    private static final Logger log = LoggerFactory.getLogger(Signers.class);

    private final PluginHost plugins;
    private final PluginInvoker invoker;
    private final ReceptionConfig config;

    @Inject
    Signers(PluginHost plugins, PluginInvoker invoker, RunnelConfig config) {
        this.plugins = plugins;
        this.invoker = invoker;
        this.config = config.reception();
    }

    /**
     * The header fields to prepend, signers in plugin order. Completes exceptionally with {@link ReceptionRefused}
     * when a signer failed and failures refuse the message. The request's message must stay valid until then.
     */
    CompletableFuture<List<HeaderField>> sign(SigningRequest request) {
        List<PluginExtension<MessageSigner>> signers = plugins.extensions(MessageSigner.class);
        if (signers.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        OnFailure action = config.signingFailure() == SigningFailure.TEMPFAIL ? OnFailure.TEMPFAIL : OnFailure.CONTINUE;
        List<CompletableFuture<PluginResult<List<HeaderField>>>> calls = new ArrayList<>();
        for (PluginExtension<MessageSigner> signer : signers) {
            calls.add(invoker.call(signer.pluginId(), "MessageSigner", config.signingTimeout(), action, () -> signer.extension().sign(request)));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<HeaderField> headers = new ArrayList<>();
            for (CompletableFuture<PluginResult<List<HeaderField>>> call : calls) {
                PluginResult<List<HeaderField>> result = call.join();
                if (result instanceof PluginResult.Success<List<HeaderField>> success) {
                    headers.addAll(success.value());
                } else if (result instanceof PluginResult.Failed<List<HeaderField>> failed) {
                    log.atWarn().addKeyValue("plugin", failed.pluginId()).log("signing failed: {}", failed.reason());
                    if (failed.action() == OnFailure.TEMPFAIL) {
                        return CompletableFuture.failedFuture(new ReceptionRefused(OnFailure.TEMPFAIL_REPLY,
                                "signer " + failed.pluginId() + " failed: " + failed.reason()));
                    }
                } else {
                    throw new IllegalStateException("unhandled plugin result " + result);
                }
            }
            return CompletableFuture.completedFuture(headers);
        });
    }
}
