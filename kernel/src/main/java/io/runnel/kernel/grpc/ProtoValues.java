package io.runnel.kernel.grpc;

import com.google.protobuf.Timestamp;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SmtpResponse;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.spool.SpoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Conversions between protobuf messages and kernel values; bad input becomes INVALID_ARGUMENT. */
final class ProtoValues {

    private ProtoValues() {
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    static com.google.protobuf.Duration duration(Duration d) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    /** Empty for an unset or zero duration; INVALID_ARGUMENT for a negative one. */
    static Optional<Duration> duration(boolean present, com.google.protobuf.Duration d, String field) {
        if (!present) {
            return Optional.empty();
        }
        Duration value = Duration.ofSeconds(d.getSeconds(), d.getNanos());
        if (value.isNegative()) {
            throw GrpcErrors.invalid(field + " must not be negative");
        }
        return value.isZero() ? Optional.empty() : Optional.of(value);
    }

    static QueueSelector selector(Selector s) {
        try {
            return new QueueSelector(s.getTenant(), s.getCampaign(), s.getDomain(), s.getSite(), s.getSource());
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalid("selector: " + e.getMessage());
        }
    }

    static Selector selector(QueueSelector s) {
        return Selector.newBuilder().setTenant(s.tenant()).setCampaign(s.campaign()).setDomain(s.domain())
                .setSite(s.site()).setSource(s.source()).build();
    }

    /** A selector that must choose something (suspend, bounce, rebind): an empty one would take all mail. */
    static QueueSelector nonEmptySelector(Selector s) {
        QueueSelector selector = selector(s);
        if (selector.isEmpty()) {
            throw GrpcErrors.invalid("selector: set at least one of tenant, campaign, domain, site, source");
        }
        return selector;
    }

    static SpoolId spoolId(String text) {
        try {
            return SpoolId.parse(text);
        } catch (RuntimeException e) {
            throw GrpcErrors.invalid("id: expected 32 hex digits, got \"" + text + "\"");
        }
    }

    static SmtpResponse response(SmtpReply reply) {
        return SmtpResponse.newBuilder().setCode(reply.code())
                .setEnhancedCode(reply.enhancedStatus().map(Object::toString).orElse(""))
                .setContent(String.join("\n", reply.lines())).build();
    }

    static io.runnel.grpc.v1.Suspension suspension(AdminRule rule) {
        io.runnel.grpc.v1.Suspension.Builder b = io.runnel.grpc.v1.Suspension.newBuilder().setId(rule.id())
                .setSelector(selector(rule.selector())).setReason(rule.reason()).setCreatedAt(timestamp(rule.createdAt()));
        rule.expiresAt().ifPresent(at -> b.setExpiresAt(timestamp(at)));
        return b.build();
    }

    static io.runnel.grpc.v1.AdminBounceRule bounce(AdminRule rule, long bounced) {
        return io.runnel.grpc.v1.AdminBounceRule.newBuilder().setId(rule.id()).setSelector(selector(rule.selector()))
                .setReason(rule.reason()).setCreatedAt(timestamp(rule.createdAt()))
                .setExpiresAt(timestamp(rule.expiresAt().orElseThrow())).setBounced(bounced).build();
    }
}
