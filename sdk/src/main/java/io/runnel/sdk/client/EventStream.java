package io.runnel.sdk.client;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;

/**
 * A server stream read one element at a time; {@link #close()} cancels the call (the server stops sending).
 * Not thread-safe except for {@code close()}, which may come from another thread to end a blocked read.
 */
public final class EventStream<T> implements Iterator<T>, AutoCloseable {

  private final Context.CancellableContext context;
  private final Iterator<T> elements;

  EventStream(Context.CancellableContext context, Iterator<T> elements) {
    this.context = context;
    this.elements = elements;
  }

  /** Blocks until the next element or the end of the stream; false after {@link #close()}. */
  @Override
  public boolean hasNext() {
    try {
      return elements.hasNext();
    } catch (StatusRuntimeException e) {
      if (context.isCancelled() && e.getStatus().getCode() == Status.Code.CANCELLED) {
        return false;
      }
      throw RunnelClientException.of(e);
    }
  }

  @Override
  public T next() {
    try {
      return elements.next();
    } catch (StatusRuntimeException e) {
      throw RunnelClientException.of(e);
    }
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}
