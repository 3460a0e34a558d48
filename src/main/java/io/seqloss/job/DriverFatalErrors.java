package io.seqloss.job;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Ends the run when a driver thread dies of an Error, such as an OutOfMemoryError in Spark's
 * task-result-getter. Spark lets such errors kill the thread, and a job waiting for the result that
 * thread was reading then waits forever. As the JVM's default uncaught-exception handler, this
 * records the first one and cancels the running Spark jobs with a reason naming it, so the run
 * fails and reports it (exit 1; an OutOfMemoryError with the --driver-memory hint), and {@link
 * #check()} keeps a run from committing after one. Should the run still not have ended after a
 * grace period, the JVM exits with status 1.
 */
public final class DriverFatalErrors implements Thread.UncaughtExceptionHandler {
  private static final Logger LOG = LogManager.getLogger(DriverFatalErrors.class);

  /**
   * Longer than a failed run takes to stop its tasks and remove its staging directory (60 s at
   * most).
   */
  static final Duration GRACE = Duration.ofSeconds(120);

  private static volatile DriverFatalErrors installed;

  private final Thread.UncaughtExceptionHandler previous;
  private final Supplier<Optional<SparkContext>> spark;
  private final Duration grace;
  private final Runnable giveUp;
  private final AtomicReference<String> first = new AtomicReference<>();

  DriverFatalErrors(
      Thread.UncaughtExceptionHandler previous,
      Supplier<Optional<SparkContext>> spark,
      Duration grace,
      Runnable giveUp) {
    this.previous = previous;
    this.spark = spark;
    this.grace = grace;
    this.giveUp = giveUp;
  }

  /** Makes this the JVM's default uncaught-exception handler (once; the driver's main calls it). */
  public static synchronized void install() {
    if (installed != null) {
      return;
    }
    installed =
        new DriverFatalErrors(
            Thread.getDefaultUncaughtExceptionHandler(),
            DriverFatalErrors::activeSpark,
            GRACE,
            () -> System.exit(1));
    Thread.setDefaultUncaughtExceptionHandler(installed);
  }

  /** Whether a driver thread died of an Error during this process. */
  public static boolean occurred() {
    DriverFatalErrors handler = installed;
    return handler != null && handler.first.get() != null;
  }

  /**
   * Fails if a driver thread died of an Error during this process: a run must not commit after
   * that.
   */
  public static void check() {
    if (occurred()) {
      throw new FatalErrorException(installed.first.get());
    }
  }

  /** The failure of a run during which a driver thread died of an Error. */
  public static final class FatalErrorException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FatalErrorException(String message) {
      super(message);
    }
  }

  @Override
  public void uncaughtException(Thread thread, Throwable e) {
    if (!(e instanceof Error)) {
      if (previous != null) {
        previous.uncaughtException(thread, e);
      } else {
        LOG.error("uncaught exception in thread {}", thread.getName(), e);
      }
      return;
    }
    String message = describe(thread, e);
    if (!first.compareAndSet(null, message)) {
      LOG.error("another fatal error, in thread {}", thread.getName(), e);
      return;
    }
    LOG.error(message, e);
    spark
        .get()
        .ifPresent(
            sc -> {
              for (int job : sc.statusTracker().getActiveJobIds()) {
                sc.cancelJob(job, message);
              }
            });
    Thread watchdog = new Thread(this::giveUpAfterGrace, "seqloss-fatal-error-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /**
   * What the run reports: the error and the thread (the CLI adds the --driver-memory hint to an
   * OOM).
   */
  static String describe(Thread thread, Throwable e) {
    return String.format("%s in the driver's thread %s", e, thread.getName());
  }

  private void giveUpAfterGrace() {
    try {
      Thread.sleep(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LOG.error(
        "the run has not ended {} s after the fatal error ({}); exiting",
        grace.toSeconds(),
        first.get());
    giveUp.run();
  }

  private static Optional<SparkContext> activeSpark() {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    return session.isDefined() ? Optional.of(session.get().sparkContext()) : Optional.empty();
  }
}
