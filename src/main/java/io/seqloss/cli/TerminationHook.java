package io.seqloss.cli;

import io.seqloss.job.ActiveRun;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ends a run cleanly when the JVM shuts down under it: SIGTERM (Airflow's timeout and task clear),
 * SIGINT, or a System.exit elsewhere (Spark exits with 52 after an OutOfMemoryError in a local
 * task). It reports the failure, cancels the Spark jobs and removes the run's staging directory,
 * before Spark's own shutdown hook stops the context and Hadoop's closes the file systems.
 */
final class TerminationHook {
  /** Above Spark's hooks (Hadoop priority FileSystem's + 30), which stop the SparkContext. */
  private static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;

  /** Below Hadoop's FileSystem hook: the last one, after every clean-up. */
  private static final int LAST = FileSystem.SHUTDOWN_HOOK_PRIORITY - 1;

  /** Airflow kills a task 60 s after its SIGTERM: finish well before. */
  private static final long TIMEOUT_SECONDS = 45;

  private final FailureReport failures;
  private final Runnable cancelJobs;
  private volatile boolean armed = true;
  private volatile Signal signal;
  private volatile Integer haltWith;

  private TerminationHook(FailureReport failures, Runnable cancelJobs) {
    this.failures = failures;
    this.cancelJobs = cancelJobs;
  }

  /** Installs the hooks for the process's one run; {@link #disarm()} once the run has reported. */
  static TerminationHook install(FailureReport failures, Runnable cancelJobs) {
    TerminationHook hook = new TerminationHook(failures, cancelJobs);
    for (String name : new String[] {"TERM", "INT"}) {
      hook.recordSignal(new Signal(name));
    }
    ShutdownHookManager.get()
        .addShutdownHook(hook::onShutdown, PRIORITY, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ShutdownHookManager.get().addShutdownHook(hook::haltIfAsked, LAST);
    return hook;
  }

  void disarm() {
    armed = false;
  }

  /**
   * Notes which signal started the shutdown (a hook cannot tell), then lets the JVM's handler exit.
   */
  private void recordSignal(Signal sig) {
    SignalHandler[] previous = new SignalHandler[1];
    try {
      previous[0] =
          Signal.handle(
              sig,
              s -> {
                signal = s;
                if (previous[0] == SignalHandler.SIG_DFL) {
                  Runtime.getRuntime().exit(128 + s.getNumber());
                } else {
                  previous[0].handle(s);
                }
              });
    } catch (IllegalArgumentException refused) {
      return; // the JVM keeps this signal (-Xrs): a shutdown it starts is reported as an exit
    }
    if (previous[0] == SignalHandler.SIG_IGN) {
      Signal.handle(
          sig, SignalHandler.SIG_IGN); // started ignoring it (nohup, a background job): keep so
    }
  }

  private void onShutdown() {
    if (!armed || !failures.claim()) {
      return; // the run ended and reported before the shutdown, or is reporting its own failure
    }
    Signal s = signal;
    // Reported first: a slow clean-up may be cut short by the hook's timeout or a SIGKILL.
    if (s != null) {
      failures.print(
          128 + s.getNumber(),
          "terminated by SIG"
              + s.getName()
              + " during the run: its Spark jobs "
              + "are cancelled, its staging directory removed, and any previous output left as it was",
          null);
    } else {
      failures.print(
          ExitCodes.FAILURE,
          "the JVM was made to exit during the run (Spark does so after an "
              + "OutOfMemoryError in a task: see the log above, and rerun with a larger --driver-memory, or "
              + "--executor-memory on a cluster); any previous output is left as it was",
          null);
      haltWith =
          ExitCodes.FAILURE; // the JVM's own status (52 for Spark's OOM exit) is not in the table
    }
    try {
      cancelJobs.run();
    } finally {
      ActiveRun.abort();
    }
  }

  private void haltIfAsked() {
    Integer code = haltWith;
    if (code != null) {
      Runtime.getRuntime().halt(code);
    }
  }
}
