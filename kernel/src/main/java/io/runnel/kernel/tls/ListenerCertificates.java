package io.runnel.kernel.tls;

import io.runnel.kernel.config.ReloadStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running listeners' TLS contexts, as a reload step: on a reload ({@code runnel reload}, SIGHUP, the file
 * watch on conf/, the control plane) every listener whose certificate or key file changed gets a new context
 * built from them. When one cannot be used (bad PEM, key not matching) the reload is refused, every listener
 * keeps serving its old certificate and the report names the file and the reason.
 */
public final class ListenerCertificates implements ReloadStep {

    private static final Logger log = LoggerFactory.getLogger(ListenerCertificates.class);

    private final List<ServerTls> listeners = new CopyOnWriteArrayList<>();

    public void register(ServerTls tls) {
        listeners.add(tls);
    }

    public void clear() {
        listeners.clear();
    }

    @Override
    public Prepared prepare() {
        List<String> changed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Runnable> swaps = new ArrayList<>();
        for (ServerTls tls : listeners) {
            if (!tls.changed()) {
                continue;
            }
            changed.add(tls.certificate().toString());
            try {
                ServerTls.Loaded loaded = tls.load();
                swaps.add(() -> {
                    tls.use(loaded);
                    log.atInfo().addKeyValue("listener", tls.listener()).addKeyValue("certificate", tls.certificate())
                            .log("TLS certificate reloaded");
                });
            } catch (IOException e) {
                errors.add(e.getMessage());
            }
        }
        return new Prepared(changed, errors, () -> swaps.forEach(Runnable::run));
    }
}
