package io.seqloss.input.arrow;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What each Arrow read task's allocator held when the task ended. A task that ends with bytes still
 * allocated fails (see {@link ArrowBatchReader#close()}); the record also lets tests in local mode,
 * where tasks run in the test's JVM, check that every task released everything.
 */
public final class ArrowTaskMemory {
  /** One task's allocator at its close: the most it held at once, and what it still held. */
  public record Release(String task, long peakBytes, long outstandingBytes) {}

  /** Bounded, so that a long-lived driver in local mode does not grow without end. */
  private static final int KEEP = 10_000;

  private static final Queue<Release> RELEASES = new ConcurrentLinkedQueue<>();

  private ArrowTaskMemory() {}

  static void record(Release release) {
    RELEASES.add(release);
    while (RELEASES.size() > KEEP) {
      RELEASES.poll();
    }
  }

  /** The releases recorded in this JVM, oldest first. */
  public static List<Release> releases() {
    return List.copyOf(RELEASES);
  }

  public static void clear() {
    RELEASES.clear();
  }
}
