package io.runnel.kernel.plugin;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Plugin sources for the host tests, and the few kernel-side stand-ins they need. */
final class TestPlugins {

    private TestPlugins() {
    }

    /**
     * A plugin with a RunnelPlugin class whose start() runs {@code startBody}, and a MessageSigner that stamps
     * {@code X-Stamp: <plugin id>:<[plugins.<id>] text>}, reading its section the way real plugins do.
     */
    static PluginJarBuilder stamp(String id, String startBody) {
        String pkg = "t." + id.replace('-', '_');
        return PluginJarBuilder.plugin(id)
                .pluginClass(pkg + ".StampPlugin", """
                        package %s;
                        import io.runnel.api.plugin.*;
                        public class StampPlugin extends RunnelPlugin {
                            public StampPlugin(PluginContext context) { super(context); }
                            @Override public void start() { %s }
                        }
                        """.formatted(pkg, startBody))
                .extension(pkg + ".StampSigner", """
                        package %s;
                        import io.runnel.api.mail.HeaderField;
                        import io.runnel.api.plugin.*;
                        import io.runnel.api.sign.*;
                        import java.util.List;
                        public class StampSigner implements MessageSigner {
                            private final String text;
                            public StampSigner(PluginContext context) throws PluginConfigException {
                                ConfigSection config = context.config();
                                text = context.pluginId() + ":" + config.string("text").orElse("none");
                                config.rejectUnknownKeys();
                            }
                            @Override public List<HeaderField> sign(SigningRequest request) {
                                return List.of(HeaderField.of("X-Stamp", text));
                            }
                        }
                        """.formatted(pkg));
    }

    static PluginJarBuilder stamp(String id) {
        return stamp(id, "");
    }

    static MessageView message() {
        return new MessageView() {
            @Override
            public List<HeaderField> headers() {
                return List.of(HeaderField.of("Subject", "hi"));
            }

            @Override
            public InputStream openBody() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public long bodySize() {
                return 0;
            }
        };
    }

    /** Plugins in these tests never resolve anything. */
    static final DnsResolver NO_DNS = new DnsResolver() {
        @Override
        public CompletionStage<MxAnswer> mx(String domain) {
            return CompletableFuture.failedFuture(new IllegalStateException("no DNS in tests"));
        }

        @Override
        public CompletionStage<List<InetAddress>> addresses(String host) {
            return CompletableFuture.failedFuture(new IllegalStateException("no DNS in tests"));
        }

        @Override
        public CompletionStage<List<String>> txt(String name) {
            return CompletableFuture.failedFuture(new IllegalStateException("no DNS in tests"));
        }
    };
}
