package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.SparkTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * An Error that kills a driver thread (task-result-getter, say) must end the run: the job waiting
 * for the lost result is cancelled with a message naming the error, and a run that still does not
 * end is ended after the grace period.
 */
class DriverFatalErrorsTest extends SparkTestBase {
  private static final Thread RESULT_GETTER = new Thread(() -> {}, "task-result-getter-7");

  @Test
  void theJobTheRunWaitsForIsCancelledNamingTheError() throws Exception {
    SparkContext sc = session().sparkContext();
    CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> blockingJob(sc));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (sc.statusTracker().getActiveJobIds().length == 0) {
      assertTrue(System.nanoTime() < deadline && !waiting.isDone(), "the job should be running");
      Thread.sleep(50);
    }
    AtomicInteger gaveUp = new AtomicInteger();
    DriverFatalErrors handler =
        new DriverFatalErrors(
            null, () -> Optional.of(sc), Duration.ofMinutes(10), gaveUp::incrementAndGet);

    handler.uncaughtException(RESULT_GETTER, new OutOfMemoryError("Java heap space"));

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
    String message = failed.getCause().getMessage();
    assertTrue(
        message.contains(
            "java.lang.OutOfMemoryError: Java heap space in the driver's thread "
                + "task-result-getter-7"),
        message);
    assertEquals(0, gaveUp.get(), "the run ends by itself; the watchdog waits its grace period");
  }

  @Test
  void aRunThatDoesNotEndIsEndedAfterTheGracePeriodOnce() throws Exception {
    CompletableFuture<Void> gaveUp = new CompletableFuture<>();
    AtomicInteger times = new AtomicInteger();
    DriverFatalErrors handler =
        new DriverFatalErrors(
            null,
            Optional::empty,
            Duration.ofMillis(200),
            () -> {
              times.incrementAndGet();
              gaveUp.complete(null);
            });
    handler.uncaughtException(RESULT_GETTER, new StackOverflowError());
    handler.uncaughtException(RESULT_GETTER, new OutOfMemoryError("a second one"));
    gaveUp.get(30, TimeUnit.SECONDS);
    Thread.sleep(500);
    assertEquals(1, times.get(), "the first fatal error starts the one watchdog");
  }

  @Test
  void anExceptionIsLeftToThePreviousHandler() throws Exception {
    List<Throwable> previous = new ArrayList<>();
    AtomicInteger gaveUp = new AtomicInteger();
    DriverFatalErrors handler =
        new DriverFatalErrors(
            (t, e) -> previous.add(e),
            Optional::empty,
            Duration.ofMillis(10),
            gaveUp::incrementAndGet);
    IllegalArgumentException notFatal = new IllegalArgumentException("a thread's own failure");
    handler.uncaughtException(RESULT_GETTER, notFatal);
    Thread.sleep(300);
    assertEquals(List.of(notFatal), previous);
    assertEquals(0, gaveUp.get());
  }

  /** A job whose two tasks run until they are killed (or a minute has passed). */
  private static long blockingJob(SparkContext sc) {
    return JavaSparkContext.fromSparkContext(sc)
        .parallelize(List.of(1, 2), 2)
        .map(
            x -> {
              long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
              while (!TaskContext.get().isInterrupted() && System.nanoTime() < end) {
                Thread.sleep(20);
              }
              return x;
            })
        .count();
  }
}
