package io.runnel.sdk.loadgen;

import java.io.IOException;

/** The server sent something that is not an SMTP reply; the session drops the connection. */
final class SmtpProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  SmtpProtocolException(String message) {
    super(message);
  }
}
