package io.runnel.kernel.grpc;

import io.grpc.stub.StreamObserver;
import io.runnel.grpc.v1.AdminBounceRequest;
import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.CancelBounceRequest;
import io.runnel.grpc.v1.CancelBounceResponse;
import io.runnel.grpc.v1.InspectMessageRequest;
import io.runnel.grpc.v1.InspectMessageResponse;
import io.runnel.grpc.v1.ListBouncesRequest;
import io.runnel.grpc.v1.ListBouncesResponse;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsRequest;
import io.runnel.grpc.v1.ListSuspensionsResponse;
import io.runnel.grpc.v1.QueueServiceGrpc;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.RebindResponse;
import io.runnel.grpc.v1.ResumeRequest;
import io.runnel.grpc.v1.ResumeResponse;
import io.runnel.grpc.v1.RetryNowRequest;
import io.runnel.grpc.v1.RetryNowResponse;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SuspendRequest;
import io.runnel.grpc.v1.SuspendResponse;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.Suspensions;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** QueueService: translates calls to the queue manager, the suspensions and the delivery engine. */
final class QueueGrpcService extends QueueServiceGrpc.QueueServiceImplBase {

    private final QueueManager queues;
    private final Suspensions suspensions;
    private final DeliveryEngine delivery;
    private final QueueViews views;

    @Inject
    QueueGrpcService(QueueManager queues, Suspensions suspensions, DeliveryEngine delivery, QueueViews views) {
        this.queues = queues;
        this.suspensions = suspensions;
        this.delivery = delivery;
        this.views = views;
    }

    @Override
    public void summary(SummaryRequest request, StreamObserver<SummaryResponse> out) {
        Calls.reply(out, () -> views.summary(request.getGroupByList(), ProtoValues.selector(request.getFilter())));
    }

    @Override
    public void listMessages(ListMessagesRequest request, StreamObserver<ListMessagesResponse> out) {
        Calls.reply(out, () -> views.list(request));
    }

    @Override
    public void inspectMessage(InspectMessageRequest request, StreamObserver<InspectMessageResponse> out) {
        Calls.reply(out, () -> InspectMessageResponse.newBuilder()
                .setMessage(views.inspect(ProtoValues.spoolId(request.getId()), request.getIncludeHeaders())).build());
    }

    @Override
    public void suspend(SuspendRequest request, StreamObserver<SuspendResponse> out) {
        Calls.reply(out, () -> {
            QueueSelector selector = ProtoValues.nonEmptySelector(request.getSelector());
            String reason = reason(request.getReason());
            Optional<Duration> duration = ProtoValues.duration(request.hasDuration(), request.getDuration(), "duration");
            AdminRule rule = suspensions.suspend(selector, reason, duration);
            return SuspendResponse.newBuilder().setSuspension(ProtoValues.suspension(rule))
                    .setMatched(distinctIds(queues.snapshot(selector))).build();
        });
    }

    @Override
    public void resume(ResumeRequest request, StreamObserver<ResumeResponse> out) {
        Calls.reply(out, () -> {
            List<AdminRule> ended;
            if (!request.getId().isEmpty()) {
                ended = suspensions.end(AdminRule.Kind.SUSPEND, request.getId()).map(List::of)
                        .orElseThrow(() -> GrpcErrors.notFound("no active suspension " + request.getId()));
            } else {
                ended = suspensions.resume(ProtoValues.nonEmptySelector(request.getSelector()));
                if (ended.isEmpty()) {
                    throw GrpcErrors.notFound("no active suspension with that selector");
                }
            }
            ResumeResponse.Builder b = ResumeResponse.newBuilder();
            ended.forEach(rule -> b.addResumed(ProtoValues.suspension(rule)));
            return b.build();
        });
    }

    @Override
    public void listSuspensions(ListSuspensionsRequest request, StreamObserver<ListSuspensionsResponse> out) {
        Calls.reply(out, () -> {
            ListSuspensionsResponse.Builder b = ListSuspensionsResponse.newBuilder();
            suspensions.active(AdminRule.Kind.SUSPEND).forEach(rule -> b.addSuspensions(ProtoValues.suspension(rule)));
            return b.build();
        });
    }

    @Override
    public void adminBounce(AdminBounceRequest request, StreamObserver<AdminBounceResponse> out) {
        QueueSelector selector;
        String reason;
        Optional<Duration> duration;
        try {
            selector = ProtoValues.nonEmptySelector(request.getSelector());
            reason = reason(request.getReason());
            duration = ProtoValues.duration(request.hasDuration(), request.getDuration(), "duration");
            if (selector.needsRoute() && duration.isEmpty()) {
                // queued mail has no site or source yet: only mail passing the delivery path can be matched
                throw GrpcErrors.invalid("a bounce by site or source needs a duration");
            }
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.statusFor(e));
            return;
        }
        AdminRule rule = suspensions.bounce(selector, reason, duration.orElse(Duration.ZERO), request.getSuppressDsn());
        CompletableFuture<Long> bounced;
        if (selector.needsRoute()) {
            bounced = CompletableFuture.completedFuture((long) queues.makeDue(selector));
        } else {
            List<QueueManager.Queued> taken = queues.take(selector);
            bounced = delivery.adminBounce(taken, rule).thenApply(done -> distinctIds(taken));
        }
        Calls.complete(out, bounced.thenApply(count -> AdminBounceResponse.newBuilder()
                .setBounce(ProtoValues.bounce(rule, suspensions.bouncedBy(rule))).setBouncedNow(count).build()));
    }

    @Override
    public void listBounces(ListBouncesRequest request, StreamObserver<ListBouncesResponse> out) {
        Calls.reply(out, () -> {
            ListBouncesResponse.Builder b = ListBouncesResponse.newBuilder();
            suspensions.active(AdminRule.Kind.BOUNCE)
                    .forEach(rule -> b.addBounces(ProtoValues.bounce(rule, suspensions.bouncedBy(rule))));
            return b.build();
        });
    }

    @Override
    public void cancelBounce(CancelBounceRequest request, StreamObserver<CancelBounceResponse> out) {
        Calls.reply(out, () -> {
            AdminRule rule = suspensions.end(AdminRule.Kind.BOUNCE, request.getId())
                    .orElseThrow(() -> GrpcErrors.notFound("no active admin bounce " + request.getId()));
            return CancelBounceResponse.newBuilder().setCancelled(ProtoValues.bounce(rule, suspensions.bouncedBy(rule))).build();
        });
    }

    @Override
    public void rebind(RebindRequest request, StreamObserver<RebindResponse> out) {
        QueueSelector selector;
        try {
            selector = ProtoValues.nonEmptySelector(request.getSelector());
            if (!request.hasTenant() && !request.hasCampaign()) {
                throw GrpcErrors.invalid("set tenant or campaign (or both)");
            }
            label(request.getTenant(), "tenant");
            label(request.getCampaign(), "campaign");
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.statusFor(e));
            return;
        }
        Optional<Optional<String>> tenant = request.hasTenant() ? Optional.of(nonEmpty(request.getTenant())) : Optional.empty();
        Optional<Optional<String>> campaign = request.hasCampaign() ? Optional.of(nonEmpty(request.getCampaign())) : Optional.empty();
        Set<SpoolId> ids = new LinkedHashSet<>();
        queues.snapshot(selector).forEach(q -> ids.add(q.id()));
        List<CompletableFuture<Boolean>> moves = new ArrayList<>();
        for (SpoolId id : ids) {
            moves.add(delivery.rebind(id, m -> rebound(m, tenant, campaign), request.getRetryNow()));
        }
        Calls.complete(out, CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).thenApply(done -> RebindResponse
                .newBuilder().setRebound(moves.stream().filter(CompletableFuture::join).count()).build()));
    }

    @Override
    public void retryNow(RetryNowRequest request, StreamObserver<RetryNowResponse> out) {
        Calls.reply(out, () -> RetryNowResponse.newBuilder()
                .setScheduled(queues.makeDue(ProtoValues.selector(request.getSelector()))).build());
    }

    private static MessageMeta rebound(MessageMeta m, Optional<Optional<String>> tenant, Optional<Optional<String>> campaign) {
        return m.withTenancy(tenant.orElse(m.tenant()), campaign.orElse(m.campaign()));
    }

    private static Optional<String> nonEmpty(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** A tenant or campaign must make a valid queue-name part. */
    private static void label(String value, String what) {
        if (value.isEmpty()) {
            return;
        }
        try {
            new QueueName(what.equals("campaign") ? Optional.of(value) : Optional.empty(),
                    what.equals("tenant") ? Optional.of(value) : Optional.empty(), "check.invalid");
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalid(e.getMessage());
        }
        if (value.chars().anyMatch(c -> c <= ' ') || value.length() > 128) {
            throw GrpcErrors.invalid(what + " must be at most 128 characters without spaces");
        }
    }

    private static String reason(String reason) {
        if (reason.isBlank()) {
            throw GrpcErrors.invalid("reason is required");
        }
        return reason.strip();
    }

    private static long distinctIds(List<QueueManager.Queued> entries) {
        return entries.stream().map(QueueManager.Queued::id).distinct().count();
    }
}
