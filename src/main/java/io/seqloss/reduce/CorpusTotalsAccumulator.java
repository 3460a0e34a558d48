package io.seqloss.reduce;

import org.apache.spark.util.AccumulatorV2;

/**
 * Carries each task's {@link CorpusTotals} to the driver alongside a job. Each update names the
 * partition it covers and a partition is counted once ({@link CountedPartitions}). Merging is
 * exact, so the order tasks finish in does not matter.
 */
public final class CorpusTotalsAccumulator extends AccumulatorV2<CorpusTotals, CorpusTotals> {
  private static final long serialVersionUID = 1L;

  private CorpusTotals totals = new CorpusTotals();

  /** The partitions whose totals are in {@link #totals}; empty for totals added outside a task. */
  private CountedPartitions partitions = new CountedPartitions();

  @Override
  public boolean isZero() {
    return totals.isEmpty() && partitions.isEmpty();
  }

  @Override
  public AccumulatorV2<CorpusTotals, CorpusTotals> copy() {
    CorpusTotalsAccumulator copy = new CorpusTotalsAccumulator();
    copy.totals = totals.copy();
    copy.partitions = partitions.copy();
    return copy;
  }

  @Override
  public void reset() {
    totals = new CorpusTotals();
    partitions = new CountedPartitions();
  }

  /** Adds the totals of the current task's partition (called once per task). */
  @Override
  public void add(CorpusTotals partial) {
    partitions.addCurrentTask();
    totals.merge(partial);
  }

  @Override
  public void merge(AccumulatorV2<CorpusTotals, CorpusTotals> other) {
    CorpusTotalsAccumulator update = (CorpusTotalsAccumulator) other;
    if (partitions.admit(update.partitions)) {
      totals.merge(update.totals);
    }
  }

  @Override
  public CorpusTotals value() {
    return totals;
  }
}
