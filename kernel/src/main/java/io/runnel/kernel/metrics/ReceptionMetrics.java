package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnel.api.smtp.SmtpReply;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Messages taken in (by tenant) and refused (by reason) at reception. */
@Singleton
public final class ReceptionMetrics {

    private final LabelCap tenants;
    private final MeterCache<Counter> received;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    @Inject
    public ReceptionMetrics(MeterRegistry registry, Labels labels) {
        this.tenants = labels.tenants();
        this.received = new MeterCache<>(tenant -> Counter.builder("runnel.messages.received")
                .description("Messages accepted and spooled (250 sent), by tenant").tag("tenant", tenant).register(registry));
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("runnel.messages.rejected")
                    .description("Messages refused at the end of DATA/BDAT, by reason class")
                    .tag("reason", reason.label()).register(registry));
        }
    }

    /** A message is spooled. */
    public void received(Optional<String> tenant) {
        received.get(tenants.label(tenant)).increment();
    }

    /** A complete message was refused with {@code reply}. */
    public void rejected(SmtpReply reply) {
        rejected.get(RejectReason.of(reply)).increment();
    }
}
