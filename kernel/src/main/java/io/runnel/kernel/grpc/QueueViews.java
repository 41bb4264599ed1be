package io.runnel.kernel.grpc;

import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.Header;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageState;
import io.runnel.grpc.v1.MessageSummary;
import io.runnel.grpc.v1.RecipientDetail;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SummaryRow;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.QueueTotals;
import io.runnel.kernel.queue.SummaryFacts;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolException;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Read-only views of queued mail: a snapshot of the scheduled and ready queues joined with the spooled metadata.
 * Each message's metadata is read in its own short read transaction.
 */
final class QueueViews {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    /** The most candidates one round of a ListMessages page reads. */
    private static final int MAX_ROUND = 65_536;
    private static final int MAX_HEADER_SECTION = 256 * 1024;

    private final QueueManager queues;
    private final DeliveryEngine delivery;
    private final Spool spool;
    private final RunnelConfig config;
    private final Clock clock;

    @Inject
    QueueViews(QueueManager queues, DeliveryEngine delivery, Spool spool, RunnelConfig config, Clock clock) {
        this.queues = queues;
        this.delivery = delivery;
        this.spool = spool;
        this.config = config;
        this.clock = clock;
    }

    /** One message in one queue, scheduled or ready. */
    private record Place(QueueName queue, SpoolId id, String site, String source, String pool, MessageState state) {

        static Place ready(DeliveryEngine.ReadyMessage r) {
            return new Place(r.queue(), r.id(), r.site(), r.source(), r.pool(), MessageState.MESSAGE_STATE_READY);
        }
    }

    /** {@code id} (null for a whole queue's totals) in scheduled queue {@code q}: suspended while a rule holds it. */
    private Place scheduled(QueueName q, SpoolId id) {
        return new Place(q, id, "", "", "", queues.held(q) ? MessageState.MESSAGE_STATE_SUSPENDED
                : MessageState.MESSAGE_STATE_SCHEDULED);
    }

    /**
     * Scheduled mail is counted from the totals each scheduled queue keeps (quick with a million queued); only the
     * few messages in ready queues are read from the spool.
     */
    SummaryResponse summary(List<GroupBy> groupBy, QueueSelector filter) {
        Map<List<String>, Totals> groups = new LinkedHashMap<>();
        Totals total = new Totals(List.of());
        Instant now = clock.instant();
        List<QueueTotals> scheduled = filter.needsRoute() ? List.of() : queues.totals(filter);
        for (QueueTotals t : scheduled) {
            add(groups, total, groupBy, scheduled(t.queue(), null), t);
        }
        for (DeliveryEngine.ReadyMessage r : delivery.readySnapshot()) {
            if (filter.matches(r.queue(), r.site(), r.source())) {
                meta(r.id()).ifPresent(meta -> add(groups, total, groupBy, Place.ready(r),
                        QueueTotals.of(r.queue(), SummaryFacts.of(meta, r.queue().domain()))));
            }
        }
        SummaryResponse.Builder b = SummaryResponse.newBuilder();
        groups.values().stream().sorted(Comparator.comparingLong((Totals t) -> t.messages).reversed())
                .forEach(t -> b.addRows(t.row(groupBy, now)));
        return b.setTotal(total.row(List.of(), now)).build();
    }

    private void add(Map<List<String>, Totals> groups, Totals total, List<GroupBy> groupBy, Place p, QueueTotals counts) {
        List<String> key = new ArrayList<>(groupBy.size());
        for (GroupBy g : groupBy) {
            key.add(dimension(g, p));
        }
        boolean held = p.state() == MessageState.MESSAGE_STATE_SUSPENDED;
        groups.computeIfAbsent(key, k -> new Totals(List.copyOf(k))).add(counts, held);
        total.add(counts, held);
    }

    private String dimension(GroupBy g, Place p) {
        return switch (g) {
            case GROUP_BY_TENANT -> p.queue().tenant().orElse("");
            case GROUP_BY_CAMPAIGN -> p.queue().campaign().orElse("");
            case GROUP_BY_DOMAIN -> p.queue().domain();
            case GROUP_BY_SITE -> p.site();
            case GROUP_BY_SOURCE -> p.source();
            case GROUP_BY_POOL -> p.pool().isEmpty() ? config.delivery().poolFor(p.queue().tenant()).name() : p.pool();
            case GROUP_BY_QUEUE -> p.queue().toString();
            case GROUP_BY_UNSPECIFIED, UNRECOGNIZED -> throw GrpcErrors.invalid("unknown group_by value");
        };
    }

    /** Counts for one summary group. */
    private static final class Totals {
        private final List<String> key;
        private long messages;
        private long recipients;
        private long bytes;
        private long suspended;
        private long deferred;
        private Instant oldest;

        Totals(List<String> key) {
            this.key = key;
        }

        void add(QueueTotals counts, boolean held) {
            messages += counts.messages();
            recipients += counts.recipients();
            bytes += counts.bytes();
            suspended += held ? counts.messages() : 0;
            deferred += counts.deferred();
            counts.oldestReceived().filter(at -> oldest == null || at.isBefore(oldest)).ifPresent(at -> oldest = at);
        }

        SummaryRow row(List<GroupBy> groupBy, Instant now) {
            SummaryRow.Builder b = SummaryRow.newBuilder().setMessages(messages).setRecipients(recipients).setBytes(bytes)
                    .setSuspended(suspended).setDeferred(deferred);
            for (int i = 0; i < groupBy.size(); i++) {
                String value = key.get(i);
                switch (groupBy.get(i)) {
                    case GROUP_BY_TENANT -> b.setTenant(value);
                    case GROUP_BY_CAMPAIGN -> b.setCampaign(value);
                    case GROUP_BY_DOMAIN -> b.setDomain(value);
                    case GROUP_BY_SITE -> b.setSite(value);
                    case GROUP_BY_SOURCE -> b.setSource(value);
                    case GROUP_BY_POOL -> b.setPool(value);
                    case GROUP_BY_QUEUE -> b.setQueue(value);
                    default -> throw new IllegalStateException("checked when grouping");
                }
            }
            if (oldest != null) {
                b.setOldestReceivedAt(ProtoValues.timestamp(oldest))
                        .setOldestAge(ProtoValues.duration(Duration.between(oldest, now)));
            }
            return b.build();
        }
    }

    /**
     * A page of queued messages, oldest first. Each round takes the page's worth of smallest ids after the cursor from
     * the queues (and the ready queues), then reads and filters only those: the cost follows the page, not the queue.
     */
    ListMessagesResponse list(ListMessagesRequest request) {
        int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
        if (pageSize < 0 || pageSize > MAX_PAGE) {
            throw GrpcErrors.invalid("page_size must be between 1 and " + MAX_PAGE);
        }
        Optional<SpoolId> cursor = request.getPageToken().isEmpty() ? Optional.empty()
                : Optional.of(ProtoValues.spoolId(request.getPageToken()));
        QueueSelector filter = ProtoValues.selector(request.getFilter());
        Map<SpoolId, List<Place>> ready = new HashMap<>();
        for (DeliveryEngine.ReadyMessage r : delivery.readySnapshot()) {
            if (filter.matches(r.queue(), r.site(), r.source())) {
                ready.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(Place.ready(r));
            }
        }
        ListMessagesResponse.Builder b = ListMessagesResponse.newBuilder();
        SpoolId last = null;
        for (int round = pageSize + 1; ; round = Math.min(2 * round, MAX_ROUND)) { // rounds grow when filters refuse many
            SortedSet<SpoolId> candidates = candidates(filter, request, ready.keySet(), cursor, round);
            if (candidates.isEmpty()) {
                return b.build();
            }
            for (SpoolId id : candidates) {
                if (b.getMessagesCount() == pageSize) {
                    return b.setNextPageToken(last.toString()).build();
                }
                Optional<MessageSummary> listed = listed(id, filter, request, ready.getOrDefault(id, List.of()));
                if (listed.isPresent()) {
                    b.addMessages(listed.get());
                    last = id;
                }
            }
            cursor = Optional.of(candidates.last());
        }
    }

    /** The {@code limit} smallest ids after the cursor that may pass the request's filters. */
    private SortedSet<SpoolId> candidates(QueueSelector filter, ListMessagesRequest request, Set<SpoolId> ready,
                                          Optional<SpoolId> cursor, int limit) {
        MessageState wanted = request.getState();
        TreeSet<SpoolId> ids = new TreeSet<>();
        boolean scheduledMayMatch = !filter.needsRoute() && wanted != MessageState.MESSAGE_STATE_READY;
        if (scheduledMayMatch) {
            Predicate<QueueName> include = q -> filter.matchesQueue(q) && switch (wanted) {
                case MESSAGE_STATE_SUSPENDED -> queues.held(q);
                case MESSAGE_STATE_SCHEDULED -> !queues.held(q);
                default -> true;
            };
            ids.addAll(queues.smallestIds(include, request.getMinAttempts(), cursor, limit));
        }
        ready.stream().filter(id -> cursor.isEmpty() || id.compareTo(cursor.get()) > 0).forEach(ids::add);
        while (ids.size() > limit) {
            ids.pollLast();
        }
        return ids;
    }

    /** The message's summary when it is still queued where the filter looks and passes the state and attempts filters. */
    private Optional<MessageSummary> listed(SpoolId id, QueueSelector filter, ListMessagesRequest request, List<Place> readyPlaces) {
        Optional<MessageMeta> meta = meta(id);
        if (meta.isEmpty() || meta.get().attempts() < request.getMinAttempts()) {
            return Optional.empty();
        }
        List<Place> places = new ArrayList<>(readyPlaces);
        if (!filter.needsRoute()) {
            for (QueueName q : QueueManager.queuesOf(meta.get())) {
                if (filter.matchesQueue(q) && queues.contains(q, id)) {
                    places.add(scheduled(q, id));
                }
            }
        }
        if (places.isEmpty()) {
            return Optional.empty(); // on a connection or gone since the candidates were taken
        }
        MessageState state = state(places);
        if (request.getState() != MessageState.MESSAGE_STATE_UNSPECIFIED && request.getState() != state) {
            return Optional.empty();
        }
        return Optional.of(summary(meta.get(), state));
    }

    private static MessageState state(List<Place> places) {
        if (places.stream().anyMatch(p -> p.state() == MessageState.MESSAGE_STATE_READY)) {
            return MessageState.MESSAGE_STATE_READY;
        }
        if (places.stream().anyMatch(p -> p.state() == MessageState.MESSAGE_STATE_SUSPENDED)) {
            return MessageState.MESSAGE_STATE_SUSPENDED;
        }
        return MessageState.MESSAGE_STATE_SCHEDULED;
    }

    private MessageSummary summary(MessageMeta meta, MessageState state) {
        MessageSummary.Builder b = MessageSummary.newBuilder().setId(meta.id().toString())
                .setSender(meta.sender().isNullSender() ? "" : meta.sender().toString())
                .setTenant(meta.tenant().orElse("")).setCampaign(meta.campaign().orElse(""))
                .setReceivedAt(ProtoValues.timestamp(meta.receivedAt())).setSize(meta.bodySize())
                .setAttempts(meta.attempts()).setNextDue(ProtoValues.timestamp(meta.dueAt())).setState(state);
        meta.recipients().stream().filter(r -> r.state() == RecipientState.PENDING)
                .forEach(r -> b.addPendingRecipients(r.address().toString()));
        QueueManager.queuesOf(meta).forEach(q -> b.addQueues(q.toString()));
        return b.build();
    }

    MessageDetail inspect(SpoolId id, boolean withHeaders) {
        MessageMeta meta = meta(id).orElseThrow(() -> GrpcErrors.notFound("no spooled message " + id));
        List<Place> places = new ArrayList<>();
        for (QueueName q : QueueManager.queuesOf(meta)) {
            places.add(scheduled(q, id));
        }
        delivery.readySnapshot().stream().filter(r -> r.id().equals(id)).forEach(r -> places.add(Place.ready(r)));
        MessageDetail.Builder b = MessageDetail.newBuilder().setId(id.toString())
                .setSender(meta.sender().isNullSender() ? "" : meta.sender().toString())
                .setTenant(meta.tenant().orElse("")).setCampaign(meta.campaign().orElse(""))
                .setReceivedAt(ProtoValues.timestamp(meta.receivedAt())).setSize(meta.bodySize())
                .setAttempts(meta.attempts()).setNextDue(ProtoValues.timestamp(meta.dueAt())).setState(state(places));
        meta.lastAttempt().ifPresent(at -> b.setLastAttempt(ProtoValues.timestamp(at)));
        delivery.lastReply(id).ifPresent(reply -> b.setLastResponse(ProtoValues.response(reply)));
        QueueManager.queuesOf(meta).forEach(q -> b.addQueues(q.toString()));
        for (Recipient r : meta.recipients()) {
            RecipientDetail.Builder rb = RecipientDetail.newBuilder().setAddress(r.address().toString())
                    .setState(r.state().name()).setOriginalRecipient(r.originalRecipient().orElse(""));
            r.notifyOn().stream().map(Enum::name).sorted().forEach(rb::addNotify);
            b.addRecipients(rb);
        }
        b.putMailParameters("BODY", meta.parameters().body() == MailParameters.BodyType.EIGHT_BIT_MIME
                ? "8BITMIME" : "7BIT");
        if (meta.parameters().smtpUtf8()) {
            b.putMailParameters("SMTPUTF8", "true");
        }
        meta.parameters().ret().ifPresent(ret -> b.putMailParameters("RET", ret.name()));
        meta.parameters().envelopeId().ifPresent(envid -> b.putMailParameters("ENVID", envid));
        b.putReception("listener", meta.reception().listener());
        b.putReception("client_address", meta.reception().peerAddress());
        b.putReception("helo", meta.reception().helo());
        b.putReception("protocol", meta.reception().protocol());
        meta.reception().authIdentity().ifPresent(user -> b.putReception("auth_user", user));
        meta.reception().tls().ifPresent(tls -> b.putReception("tls", tls.protocol() + " " + tls.cipher()));
        b.putAllMetadata(meta.metadata());
        if (withHeaders) {
            headers(id).forEach(b::addHeaders);
        }
        return b.build();
    }

    /** The stored message's header section, unfolded. */
    private List<Header> headers(SpoolId id) {
        byte[] body;
        try {
            body = spool.loadBody(id).orElseThrow(() -> GrpcErrors.notFound("no spooled message " + id));
        } catch (SpoolException e) {
            throw GrpcErrors.statusFor(e);
        }
        String text = new String(body, 0, Math.min(body.length, MAX_HEADER_SECTION), StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        List<Header> out = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : (end >= 0 ? text.substring(0, end) : text).split("\r\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            if (name != null) {
                out.add(Header.newBuilder().setName(name).setValue(value.toString()).build());
            }
            int colon = line.indexOf(':');
            name = colon > 0 ? line.substring(0, colon) : null;
            value = new StringBuilder(colon > 0 ? line.substring(colon + 1).strip() : "");
        }
        if (name != null) {
            out.add(Header.newBuilder().setName(name).setValue(value.toString()).build());
        }
        return out;
    }

    private Optional<MessageMeta> meta(SpoolId id) {
        try {
            return spool.loadMeta(id);
        } catch (SpoolException e) {
            throw GrpcErrors.statusFor(e);
        }
    }
}
