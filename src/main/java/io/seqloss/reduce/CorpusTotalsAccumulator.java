package io.seqloss.reduce;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Carries each task's {@link CorpusTotals} to the driver alongside a job. Each update names the
 * partition it covers and a partition is counted once: Spark applies the updates of every
 * successful attempt of a shuffle-map task (a stage re-run after a lost executor, a speculative
 * copy), and every attempt of a partition computes the same totals. Merging is exact, so the order
 * tasks finish in does not matter.
 */
public final class CorpusTotalsAccumulator extends AccumulatorV2<CorpusTotals, CorpusTotals> {
  private static final long serialVersionUID = 1L;

  private CorpusTotals totals = new CorpusTotals();

  /** The partitions whose totals are in {@link #totals}; empty for totals added outside a task. */
  private Set<Integer> partitions = new HashSet<>();

  @Override
  public boolean isZero() {
    return totals.isEmpty() && partitions.isEmpty();
  }

  @Override
  public AccumulatorV2<CorpusTotals, CorpusTotals> copy() {
    CorpusTotalsAccumulator copy = new CorpusTotalsAccumulator();
    copy.totals = totals.copy();
    copy.partitions = new HashSet<>(partitions);
    return copy;
  }

  @Override
  public void reset() {
    totals = new CorpusTotals();
    partitions = new HashSet<>();
  }

  /** Adds the totals of the current task's partition (called once per task). */
  @Override
  public void add(CorpusTotals partial) {
    TaskContext task = TaskContext.get();
    if (task != null) {
      partitions.add(task.partitionId());
    }
    totals.merge(partial);
  }

  @Override
  public void merge(AccumulatorV2<CorpusTotals, CorpusTotals> other) {
    CorpusTotalsAccumulator update = (CorpusTotalsAccumulator) other;
    if (!update.partitions.isEmpty() && partitions.containsAll(update.partitions)) {
      return; // another attempt of partitions already counted
    }
    if (!Collections.disjoint(partitions, update.partitions)) {
      throw new IllegalStateException(
          "an accumulator update covers partitions "
              + update.partitions
              + ", some of them already counted: "
              + partitions);
    }
    partitions.addAll(update.partitions);
    totals.merge(update.totals);
  }

  @Override
  public CorpusTotals value() {
    return totals;
  }
}
