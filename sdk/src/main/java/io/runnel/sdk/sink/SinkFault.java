package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

/**
 * What the sink does instead of its normal answer, so delivery tests can script misbehaving servers. Faults are
 * keyed by verb ({@code EHLO}, {@code MAIL}, {@code DATA}, ...), by {@code BANNER} for the greeting and by
 * {@code .} for the end of DATA content; see {@link SinkOptions#withFaults(String, SinkFault...)}.
 */
public sealed interface SinkFault {

  /** Answers with this reply and changes no state; at {@code .} the transaction ends without being recorded. */
  record Reply(SinkReply reply) implements SinkFault {
    public Reply {
      requireNonNull(reply, "reply");
    }
  }

  /** Never answers, and ignores everything the client sends afterwards on that connection. */
  record Stall() implements SinkFault {}

  /** Closes the connection without answering. */
  record Drop() implements SinkFault {}

  /** Answers normally; a placeholder so a later occurrence can misbehave. */
  record Normal() implements SinkFault {}

  static SinkFault reply(int code, String text) {
    return new Reply(SinkReply.of(code, text));
  }
}
