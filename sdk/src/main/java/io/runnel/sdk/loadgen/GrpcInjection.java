package io.runnel.sdk.loadgen;

import com.google.protobuf.ByteString;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.sdk.client.RunnelClient;
import io.runnel.sdk.client.RunnelClientException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * One gRPC {@code InjectStream} as a load session: claims message numbers, sends each message (the same bytes and
 * recipients the SMTP sessions would send) with its tenant, and records the latency from handing a request to the
 * stream to its result. A refused message or a stream that fails counts as an error, like a lost SMTP connection.
 */
final class GrpcInjection implements Runnable {

  private final RunnelClient client;
  private final MessageFactory messages;
  private final MessageSequence sequence;
  private final SessionStats stats;
  private final LongSupplier nanoTime;
  private final int tenants;
  private final int domains;
  /** Results come back in request order, so the oldest send time belongs to the next result. */
  private final Queue<long[]> inFlight = new ConcurrentLinkedQueue<>();

  /**
   * @param tenants when positive, message {@code n} carries tenant {@code t{k}} with
   *                {@code k = (n / domains) % tenants}: every domain sees every tenant in turn
   */
  GrpcInjection(RunnelClient client, MessageFactory messages, MessageSequence sequence, SessionStats stats,
                LongSupplier nanoTime, int tenants, int domains) {
    this.client = client;
    this.messages = messages;
    this.sequence = sequence;
    this.stats = stats;
    this.nanoTime = nanoTime;
    this.tenants = tenants;
    this.domains = domains;
  }

  /** Tenant {@code t{k}} of message {@code number}, {@code k = (number / domains) % tenants}. */
  static String tenantOf(long number, int tenants, int domains) {
    return "t" + (number / Math.max(domains, 1)) % tenants;
  }

  @Override
  public void run() {
    try {
      client.injectAll(requests(), this::settle);
    } catch (RunnelClientException e) {
      // the stream is gone: whatever it had not answered is lost, as with an SMTP connection
      for (long[] lost = inFlight.poll(); lost != null; lost = inFlight.poll()) {
        stats.recordError();
      }
    }
  }

  private void settle(InjectResult result) {
    long[] sent = inFlight.poll();
    if (sent == null) {
      throw new IllegalStateException("a result for a message that was not sent");
    }
    if (result.hasAccepted()) {
      long micros = (nanoTime.getAsLong() - sent[0]) / 1_000;
      stats.record(new Outcome.Accepted(micros, List.of()), (int) sent[1]);
    } else {
      stats.recordError();
    }
  }

  /** Pulled on gRPC's threads as fast as the server reads; each claim waits for its pacer slot. */
  private Iterator<InjectRequest> requests() {
    return new Iterator<>() {
      private OptionalLong next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = sequence.claim();
        }
        return next.isPresent();
      }

      @Override
      public InjectRequest next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long number = next.getAsLong();
        next = null;
        OutgoingMessage m = messages.message(number);
        InjectRequest.Builder request = InjectRequest.newBuilder().setEnvelopeSender(m.sender())
            .addAllEnvelopeRecipients(m.recipients()).setRaw(ByteString.copyFrom(m.content()));
        if (tenants > 0) {
          request.setTenant(tenantOf(number, tenants, domains));
        }
        inFlight.add(new long[] {nanoTime.getAsLong(), m.content().length});
        return request.build();
      }
    };
  }
}
