package io.runnel.sdk.loadgen;

import java.util.Locale;

/** The EHLO keywords the generator acts on. */
record ServerCapabilities(boolean pipelining, boolean chunking, boolean size, boolean startTls) {

  static final ServerCapabilities NONE = new ServerCapabilities(false, false, false, false);

  static ServerCapabilities fromEhlo(Reply ehlo) {
    boolean pipelining = false;
    boolean chunking = false;
    boolean size = false;
    boolean startTls = false;
    // The first line is the greeting; every later line starts with a keyword.
    for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
      String keyword = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      pipelining |= keyword.equals("PIPELINING");
      chunking |= keyword.equals("CHUNKING");
      size |= keyword.equals("SIZE");
      startTls |= keyword.equals("STARTTLS");
    }
    return new ServerCapabilities(pipelining, chunking, size, startTls);
  }
}
