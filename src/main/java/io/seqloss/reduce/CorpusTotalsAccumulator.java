package io.seqloss.reduce;

import org.apache.spark.util.AccumulatorV2;

/**
 * Carries each task's {@link CorpusTotals} to the driver alongside an output-writing job. Spark applies
 * a result task's accumulator update once, and only when the task succeeds, so retried or failed
 * attempts never double-count; merging is exact, so the order tasks finish in does not matter.
 */
public final class CorpusTotalsAccumulator extends AccumulatorV2<CorpusTotals, CorpusTotals> {
  private static final long serialVersionUID = 1L;

  private CorpusTotals totals = new CorpusTotals();

  @Override
  public boolean isZero() {
    return totals.isEmpty();
  }

  @Override
  public AccumulatorV2<CorpusTotals, CorpusTotals> copy() {
    CorpusTotalsAccumulator copy = new CorpusTotalsAccumulator();
    copy.totals = totals.copy();
    return copy;
  }

  @Override
  public void reset() {
    totals = new CorpusTotals();
  }

  @Override
  public void add(CorpusTotals partial) {
    totals.merge(partial);
  }

  @Override
  public void merge(AccumulatorV2<CorpusTotals, CorpusTotals> other) {
    totals.merge(other.value());
  }

  @Override
  public CorpusTotals value() {
    return totals;
  }
}
