package io.runnel.sdk.loadgen;

import java.util.List;

/** What the server did with one message; connection failures are exceptions, not outcomes. */
sealed interface Outcome {

  /** Recipients refused while the message still went to the others. */
  List<Integer> rejectedRecipientCodes();

  /** The end-of-data reply was 2xx, {@code latencyMicros} after the last byte was handed to the socket. */
  record Accepted(long latencyMicros, List<Integer> rejectedRecipientCodes) implements Outcome {
    public Accepted {
      rejectedRecipientCodes = List.copyOf(rejectedRecipientCodes);
    }
  }

  /** The message was refused with {@code code}: by MAIL, by every RCPT, by DATA/BDAT or at end of data. */
  record Rejected(int code, List<Integer> rejectedRecipientCodes) implements Outcome {
    public Rejected {
      if (code < 400 || code > 599) throw new IllegalArgumentException("rejection needs 4xx/5xx: " + code);
      rejectedRecipientCodes = List.copyOf(rejectedRecipientCodes);
    }

    /** 421: the server is closing the channel, so the session must reconnect. */
    boolean closesConnection() {
      return code == 421;
    }
  }
}
