package io.runnel.sdk.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A control-plane call that failed: {@link #code()} is the gRPC status the server (or the channel) gave. */
public final class RunnelClientException extends RuntimeException {

  private final Status.Code code;

  public RunnelClientException(Status.Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  static RunnelClientException of(StatusRuntimeException e) {
    Status status = e.getStatus();
    String description = status.getDescription();
    String message = status.getCode() + (description == null || description.isBlank() ? "" : ": " + description);
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      message += " (" + status.getCause().getMessage() + ")"; // "connection refused", "handshake failed": why it was unavailable
    }
    return new RunnelClientException(status.getCode(), message, e);
  }

  /** UNAVAILABLE when the server cannot be reached, NOT_FOUND, INVALID_ARGUMENT, UNAUTHENTICATED, ... */
  public Status.Code code() {
    return code;
  }
}
