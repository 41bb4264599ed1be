package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

/**
 * A command line the sink received, for tests that check what a client sent and how it batched it.
 *
 * @param connection number of the connection, from 1 in accept order
 * @param read       number of the socket read within that connection, from 1; pipelined commands share one
 * @param line       the command line without CRLF
 */
public record SinkCommand(int connection, int read, String line) {
  public SinkCommand {
    requireNonNull(line, "line");
  }

  /** The verb in upper case, e.g. {@code MAIL}. */
  public String verb() {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
  }
}
