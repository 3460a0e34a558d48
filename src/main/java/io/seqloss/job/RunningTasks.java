package io.seqloss.job;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * The tasks running now. When a job fails, Spark reports the failure at once but lets its other
 * running tasks end in their own time, and a writing task may create files in the staging directory
 * after the driver removed it; a failed run waits for them before it cleans up.
 */
final class RunningTasks extends SparkListener {
  /** How long no task must have been running: listener events arrive a little after the facts. */
  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

  private final Set<Long> running = new HashSet<>();
  private LongConsumer killer;

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart event) {
    running.add(event.taskInfo().taskId());
    if (killer != null) {
      killer.accept(event.taskInfo().taskId());
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
    running.remove(event.taskInfo().taskId());
    notifyAll();
  }

  /**
   * Kills the running tasks and any that start later (their start events may arrive late),
   * interrupting their threads: a cancelled job's tasks otherwise run on to their end.
   */
  synchronized void interruptAll(SparkContext sc, String reason) {
    killer = taskId -> sc.killTaskAttempt(taskId, true, reason);
    running.forEach(killer::accept);
  }

  /** Waits until no task has been running for a moment; false if that did not happen in time. */
  synchronized boolean awaitNone(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    long quietSince = running.isEmpty() ? System.nanoTime() : Long.MAX_VALUE;
    while (true) {
      long now = System.nanoTime();
      if (running.isEmpty() && now - quietSince >= QUIET_NANOS) {
        return true;
      }
      if (now >= deadline) {
        return false;
      }
      long waitNanos = running.isEmpty() ? quietSince + QUIET_NANOS - now : deadline - now;
      TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, Math.min(waitNanos, deadline - now)));
      if (running.isEmpty() && quietSince == Long.MAX_VALUE) {
        quietSince = System.nanoTime();
      } else if (!running.isEmpty()) {
        quietSince = Long.MAX_VALUE;
      }
    }
  }
}
