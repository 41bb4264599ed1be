package io.runnel.sdk.sink;

import io.netty.buffer.ByteBuf;

/**
 * Reads DATA content (RFC 5321 4.5.2): drops the first '.' of a line that has more after it, and stops at
 * CRLF "." CRLF only. A bare LF never ends a line, so {@code <LF>.<CR><LF>} cannot end the message (the SMTP
 * smuggling pattern). The CRLF before the final dot belongs to the content. Keeps its state across reads.
 */
final class DotUnstuffer {

  private enum State { LINE_START, MID_LINE, CR, DOT, DOT_CR }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte DOT = '.';

  private State state = State.LINE_START;
  private long size;

  /**
   * Moves content bytes from {@code in} to {@code out}, stopping right after the end-of-data mark so that
   * pipelined commands behind it stay in {@code in}.
   *
   * @return true once the end-of-data mark was read; the unstuffer is then ready for the next message
   */
  boolean feed(ByteBuf in, ByteBuf out) {
    while (in.isReadable()) {
      switch (state) {
        case MID_LINE -> {
          // Fast path: copy up to and including the next CR in one go.
          int from = in.readerIndex();
          int cr = in.indexOf(from, in.writerIndex(), CR);
          int end = cr < 0 ? in.writerIndex() : cr + 1;
          emit(in, end - from, out);
          if (cr >= 0) state = State.CR;
        }
        case LINE_START -> {
          byte b = in.readByte();
          if (b == DOT) {
            state = State.DOT;
          } else {
            emit(b, out);
            state = b == CR ? State.CR : State.MID_LINE;
          }
        }
        case CR -> afterCr(in.readByte(), out);
        case DOT -> {
          byte b = in.readByte();
          if (b == CR) {
            state = State.DOT_CR;
          } else {
            emit(b, out);   // the leading dot is dropped: it was stuffing
            state = State.MID_LINE;
          }
        }
        case DOT_CR -> {
          byte b = in.readByte();
          if (b == LF) {
            state = State.LINE_START;
            return true;
          }
          emit(CR, out);    // ".<CR>x": the dot was stuffing, the CR is content
          afterCr(b, out);
        }
        default -> throw new IllegalStateException("unhandled state " + state);
      }
    }
    return false;
  }

  /** Content bytes since the last end-of-data mark; read it before the next message starts. */
  long size() {
    return size;
  }

  void resetSize() {
    size = 0;
  }

  private void afterCr(byte b, ByteBuf out) {
    emit(b, out);
    state = b == LF ? State.LINE_START : b == CR ? State.CR : State.MID_LINE;
  }

  private void emit(byte b, ByteBuf out) {
    out.writeByte(b);
    size++;
  }

  private void emit(ByteBuf in, int length, ByteBuf out) {
    out.writeBytes(in, length);
    size += length;
  }
}
