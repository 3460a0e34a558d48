package io.seqloss.job;

import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Logs task progress of long runs (to stderr, via log4j2) at most once per interval. */
final class ProgressLogger extends SparkListener {
  private static final Logger LOG = LogManager.getLogger(ProgressLogger.class);

  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long lastLog = start;
  private int stageTasks;
  private int tasksDone;
  private String stageName = "";

  ProgressLogger(long intervalSeconds) {
    this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted event) {
    stageTasks = event.stageInfo().numTasks();
    stageName = event.stageInfo().name();
    tasksDone = 0;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd event) {
    if (event.taskInfo().successful()) {
      tasksDone++;
    }
    long now = System.nanoTime();
    if (now - lastLog >= intervalNanos) {
      lastLog = now;
      LOG.info(
          String.format(
              "progress: %d/%d tasks of stage '%s' done, %ds elapsed",
              tasksDone, stageTasks, stageName, TimeUnit.NANOSECONDS.toSeconds(now - start)));
    }
  }
}
