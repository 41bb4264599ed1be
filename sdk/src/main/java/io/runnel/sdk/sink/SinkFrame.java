package io.runnel.sdk.sink;

/** What {@link SinkFrameDecoder} hands to the session: a command line or a finished piece of content. */
sealed interface SinkFrame {

  /** A command line without its CRLF. */
  record Command(String line) implements SinkFrame {}

  /** A line the decoder could not accept (too long, bare LF); it was discarded. */
  record BadLine(String reason) implements SinkFrame {}

  /**
   * DATA content up to, not including, the end-of-data dot, unstuffed.
   *
   * @param content the bytes when kept and not larger than the limit, else empty
   * @param size    the real content size in bytes
   */
  record Data(byte[] content, long size) implements SinkFrame {}

  /**
   * One BDAT chunk, read byte-exact whether or not the session accepts it (RFC 3030 requires that).
   *
   * @param content the bytes when kept and not larger than the limit, else empty
   */
  record Chunk(byte[] content, long size, boolean last) implements SinkFrame {}
}
