package io.seqloss.stats;

import java.util.HashSet;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Carries each task's {@link RunStatistics} to the driver. Each update names its partition and a
 * partition is counted once, even where Spark applies the updates of several successful attempts (a
 * re-run shuffle-map stage, a speculative copy): every attempt of a partition gathers the same
 * numbers.
 */
public final class RunStatisticsAccumulator extends AccumulatorV2<RunStatistics, RunStatistics> {
  private static final long serialVersionUID = 1L;

  private final RunStatistics.Settings settings;
  private RunStatistics statistics;
  private Set<Integer> partitions = new HashSet<>();

  public RunStatisticsAccumulator(RunStatistics.Settings settings) {
    this.settings = settings;
    this.statistics = new RunStatistics(settings);
  }

  /** An empty share for a task to fill and {@link #add}. */
  public RunStatistics newShare() {
    return new RunStatistics(settings);
  }

  @Override
  public boolean isZero() {
    return partitions.isEmpty();
  }

  @Override
  public AccumulatorV2<RunStatistics, RunStatistics> copy() {
    RunStatisticsAccumulator copy = new RunStatisticsAccumulator(settings);
    copy.statistics.merge(statistics);
    copy.partitions = new HashSet<>(partitions);
    return copy;
  }

  @Override
  public void reset() {
    statistics = new RunStatistics(settings);
    partitions = new HashSet<>();
  }

  /** Adds the statistics of the current task's partition (once per task). */
  @Override
  public void add(RunStatistics share) {
    TaskContext task = TaskContext.get();
    partitions.add(task == null ? -1 : task.partitionId());
    statistics.merge(share);
  }

  @Override
  public void merge(AccumulatorV2<RunStatistics, RunStatistics> other) {
    RunStatisticsAccumulator that = (RunStatisticsAccumulator) other;
    for (Integer p : that.partitions) {
      if (partitions.contains(p)) {
        return; // an attempt of a partition already counted
      }
    }
    partitions.addAll(that.partitions);
    statistics.merge(that.statistics);
  }

  @Override
  public RunStatistics value() {
    return statistics;
  }
}
