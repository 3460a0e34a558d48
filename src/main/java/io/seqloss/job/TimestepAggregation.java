package io.seqloss.job;

import io.seqloss.config.Reduction;
import io.seqloss.reduce.Ratios;
import io.seqloss.reduce.StepSums;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The rows of a {@code [T]} result, aggregated by timestep on the executors: the evaluation's
 * (timestep, share) rows are shuffled to one task, sorted by timestep (Spark's sorter spills to
 * disk when they do not fit), and each run of one step's shares is added into one exact {@link
 * StepSums}, rounded once into that step's output row. Memory is one step's sums at a time, on no
 * account T of them on the driver, and exact addition makes every row independent of the
 * partitioning.
 */
final class TimestepAggregation {
  private final Reduction reduction;

  /** Counted in the writing (result) stage, so each task's counts are applied once. */
  private final LongAccumulator steps;

  private final LongAccumulator zeroDenominators;

  TimestepAggregation(
      Reduction reduction, LongAccumulator steps, LongAccumulator zeroDenominators) {
    this.reduction = reduction;
    this.steps = steps;
    this.zeroDenominators = zeroDenominators;
  }

  /** The per_timestep rows, in timestep order, in one partition: one file, as before. */
  JavaRDD<Row> rows(JavaRDD<Row> shares) {
    Reduction reduction = this.reduction;
    LongAccumulator steps = this.steps;
    LongAccumulator zero = this.zeroDenominators;
    return shares
        .mapToPair(r -> new Tuple2<>(r.getInt(0), (byte[]) r.get(1)))
        .repartitionAndSortWithinPartitions(new HashPartitioner(1))
        .mapPartitions(sorted -> new StepRows(sorted, reduction, steps, zero));
  }

  /**
   * Merges each run of shares of one timestep (the input is sorted by timestep) into that step's
   * row.
   */
  private static final class StepRows implements Iterator<Row> {
    private final Iterator<Tuple2<Integer, byte[]>> sorted;
    private final Reduction reduction;
    private final LongAccumulator steps;
    private final LongAccumulator zeroDenominators;
    private Tuple2<Integer, byte[]> ahead;

    StepRows(
        Iterator<Tuple2<Integer, byte[]>> sorted,
        Reduction reduction,
        LongAccumulator steps,
        LongAccumulator zeroDenominators) {
      this.sorted = sorted;
      this.reduction = reduction;
      this.steps = steps;
      this.zeroDenominators = zeroDenominators;
      this.ahead = sorted.hasNext() ? sorted.next() : null;
    }

    @Override
    public boolean hasNext() {
      return ahead != null;
    }

    @Override
    public Row next() {
      if (ahead == null) {
        throw new NoSuchElementException();
      }
      int t = ahead._1();
      StepSums sums = new StepSums();
      while (ahead != null && ahead._1() == t) {
        sums.addShare(ahead._2());
        ahead = sorted.hasNext() ? sorted.next() : null;
      }
      double weightSum = sums.weightSum();
      double denominator = Ratios.denominator(reduction, weightSum, sums.nonzeroWeights());
      steps.add(1);
      if (denominator == 0.0) {
        zeroDenominators.add(1);
      }
      return RowFactory.create(
          t,
          Ratios.divideOrZero(sums.lossSum(), denominator),
          weightSum,
          sums.nonzeroWeights(),
          sums.sequences(),
          Ratios.divideOrZero(sums.correctSum(), denominator),
          Ratios.divideOrZero(sums.topKSum(), denominator));
    }
  }
}
