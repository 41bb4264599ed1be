package io.runnel.sdk.ctl;

import io.grpc.Status;

/** runnelctl's exit codes, documented in the README; scripts rely on them, so never renumber. */
final class ExitCodes {

  static final int OK = 0;
  /** Any other failure: a refused reload, an incomplete drain, a refused injection, INTERNAL, FAILED_PRECONDITION... */
  static final int ERROR = 1;
  /** Bad command line (picocli's default for usage errors). */
  static final int USAGE = 2;
  /** No answer: nothing listening, connection refused, TLS handshake failed, deadline exceeded (UNAVAILABLE, DEADLINE_EXCEEDED). */
  static final int UNREACHABLE = 3;
  static final int NOT_FOUND = 4;
  static final int INVALID_ARGUMENT = 5;
  /** UNAUTHENTICATED or PERMISSION_DENIED. */
  static final int DENIED = 6;

  private ExitCodes() {
  }

  static int forStatus(Status.Code code) {
    return switch (code) {
      case OK -> OK;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
      case NOT_FOUND -> NOT_FOUND;
      case INVALID_ARGUMENT -> INVALID_ARGUMENT;
      case UNAUTHENTICATED, PERMISSION_DENIED -> DENIED;
      default -> ERROR;
    };
  }
}
