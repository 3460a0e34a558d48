package io.seqloss.job;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The clean-up of the run in progress, for code that must end it from another thread: the SIGTERM
 * shutdown hook, a fatal-error handler. The running job registers how to abandon its output (stop
 * its tasks, remove its staging directory); {@link #abort()} runs that once, and the job then no
 * longer commits.
 */
public final class ActiveRun {
  private static final AtomicReference<Runnable> ABORT = new AtomicReference<>();

  private ActiveRun() {}

  /** The job's side of the registration. */
  public interface Registration {
    /** Ends the registration; false if the run was aborted meanwhile, and must then not commit. */
    boolean release();
  }

  /** Registers the running job's abort action (one run at a time per JVM). */
  public static Registration onAbort(Runnable action) {
    ABORT.set(action);
    return () -> ABORT.compareAndSet(action, null);
  }

  /** Runs the registered abort action, if a run is in progress; later calls do nothing. */
  public static void abort() {
    Runnable action = ABORT.getAndSet(null);
    if (action != null) {
      action.run();
    }
  }
}
