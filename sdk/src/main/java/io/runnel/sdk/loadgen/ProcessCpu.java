package io.runnel.sdk.loadgen;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** CPU time of this whole process (every thread, JIT and GC included), as the OS counts it. */
final class ProcessCpu {

  private ProcessCpu() {
  }

  /** Nanoseconds of CPU so far; 0 on a JVM that does not say. */
  static long nanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean hotspot ? Math.max(0, hotspot.getProcessCpuTime()) : 0;
  }
}
