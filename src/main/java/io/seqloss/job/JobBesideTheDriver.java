package io.seqloss.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * A Spark job started from a second driver thread, so that it runs while the driver's main thread
 * does its own work (the first small writes of a run spend about 0.4 s loading classes on the
 * driver, BENCHMARKS.md). Spark schedules jobs from several threads at once; the thread inherits
 * the run's local properties (Spark copies them to a child thread) and sets its own job
 * description. {@link #join} gives the result or rethrows the job's failure; {@link #close} waits
 * for the job whatever happens, so that a failing run never cleans its output up under a running
 * job.
 */
final class JobBesideTheDriver<T> implements AutoCloseable {
  private final CompletableFuture<T> result = new CompletableFuture<>();

  private JobBesideTheDriver() {}

  static <T> JobBesideTheDriver<T> start(SparkContext sc, String description, Supplier<T> job) {
    JobBesideTheDriver<T> started = new JobBesideTheDriver<>();
    Thread thread =
        new Thread(
            () -> {
              sc.setJobDescription(description);
              try {
                started.result.complete(job.get());
              } catch (Throwable t) { // handed to the main thread by join()
                started.result.completeExceptionally(t);
              }
            },
            "seqloss-" + description.replaceAll("\\W+", "-"));
    thread.setDaemon(true);
    thread.start();
    return started;
  }

  /** A job that has nothing to run: {@link #join} gives {@code value}. */
  static <T> JobBesideTheDriver<T> done(T value) {
    JobBesideTheDriver<T> done = new JobBesideTheDriver<>();
    done.result.complete(value);
    return done;
  }

  /** The job's result; its exception (or error) as it was thrown, if it failed. */
  T join() {
    try {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Waits for the job to end, however it ends; its failure is for {@link #join} to report. */
  @Override
  public void close() {
    try {
      result.handle((value, failure) -> null).join();
    } catch (CompletionException ignored) {
      // handle() does not fail
    }
  }
}
