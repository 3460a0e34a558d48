package io.seqloss.reduce;

import io.seqloss.stats.PoissonBootstrap;
import io.seqloss.stats.RatioMoments;
import java.io.Serializable;

/**
 * Everything the driver needs from a share of the corpus, mergeable in any order with the same
 * result: exact sums of weighted losses, weights and metric credits, and counts. Its size is fixed:
 * per-step sums of a {@code [T]} result travel separately (see {@link StepSums}).
 */
public final class CorpusTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ExactSum lossSum = new ExactSum();
  private final ExactSum weightSum = new ExactSum();
  private final ExactSum correctSum = new ExactSum();
  private final ExactSum topKSum = new ExactSum();
  private long sequences;
  private long tokens;
  private long nonzeroWeights;
  private long invalidRows;
  private long zeroDenominatorSequences;
  private int maxLength;
  private final RatioMoments moments = new RatioMoments();
  private PoissonBootstrap bootstrap; // null unless --bootstrap

  /** Adds one valid sequence's sums (taken in timestep order, in double, within the row). */
  public void addSequence(
      double sequenceLossSum,
      double sequenceWeightSum,
      int length,
      long nonzero,
      boolean zeroDenominator) {
    lossSum.add(sequenceLossSum);
    weightSum.add(sequenceWeightSum);
    addSequenceCounts(length, nonzero, zeroDenominator);
  }

  /**
   * Counts one valid sequence without adding its sums: a grouped run adds them to the sequence's
   * group only, and {@link #addSums} brings the groups' exact sums here at the end of the task.
   */
  public void addSequenceCounts(int length, long nonzero, boolean zeroDenominator) {
    sequences++;
    tokens += length;
    maxLength = Math.max(maxLength, length);
    nonzeroWeights += nonzero;
    if (zeroDenominator) {
      zeroDenominatorSequences++;
    }
  }

  /** Adds one valid sequence's weighted accuracy and top-k credits (Σ_t w_t · credit_t). */
  public void addMetricSums(double sequenceCorrectSum, double sequenceTopKSum) {
    correctSum.add(sequenceCorrectSum);
    topKSum.add(sequenceTopKSum);
  }

  /**
   * Adds one valid sequence's terms of the ratio estimator: its weighted loss sum and its
   * denominator share under the run's reduction (weight sum or non-zero count), for the standard
   * error.
   */
  public void addRatioTerms(long sequenceKey, double sequenceLossSum, double sequenceDenominator) {
    moments.add(sequenceLossSum, sequenceDenominator);
    addBootstrapTerms(sequenceKey, sequenceLossSum, sequenceDenominator);
  }

  /** Adds one valid sequence's terms to the bootstrap replicates only (a grouped run). */
  public void addBootstrapTerms(
      long sequenceKey, double sequenceLossSum, double sequenceDenominator) {
    if (bootstrap != null) {
      bootstrap.add(sequenceKey, sequenceLossSum, sequenceDenominator);
    }
  }

  /**
   * Adds the exact sums of sequences counted with {@link #addSequenceCounts}: their ratio moments
   * (whose Σx is the loss sum), weight sums and metric credits. Exact merges, so the totals have
   * the same bits as if each sequence had been added here itself.
   */
  public void addSums(
      RatioMoments sequenceMoments,
      ExactSum sequenceWeightSums,
      ExactSum sequenceCorrectSums,
      ExactSum sequenceTopKSums) {
    lossSum.merge(sequenceMoments.exactNumerator());
    weightSum.merge(sequenceWeightSums);
    correctSum.merge(sequenceCorrectSums);
    topKSum.merge(sequenceTopKSums);
    moments.merge(sequenceMoments);
  }

  /** Starts the Poisson bootstrap replicates of the ratio (before the first sequence is added). */
  public void enableBootstrap(int replicates, long seed) {
    bootstrap = new PoissonBootstrap(replicates, seed);
  }

  /** The bootstrap replicates' exact sums, or null when the run has no --bootstrap. */
  public PoissonBootstrap bootstrap() {
    return bootstrap;
  }

  /** The exact sums behind the standard error of the scalar result. */
  public RatioMoments moments() {
    return moments;
  }

  public void addInvalidRow() {
    invalidRows++;
  }

  public void merge(CorpusTotals other) {
    lossSum.merge(other.lossSum);
    weightSum.merge(other.weightSum);
    correctSum.merge(other.correctSum);
    topKSum.merge(other.topKSum);
    sequences += other.sequences;
    tokens += other.tokens;
    nonzeroWeights += other.nonzeroWeights;
    invalidRows += other.invalidRows;
    zeroDenominatorSequences += other.zeroDenominatorSequences;
    maxLength = Math.max(maxLength, other.maxLength);
    moments.merge(other.moments);
    if (other.bootstrap != null) {
      if (bootstrap == null) {
        bootstrap = other.bootstrap.copy();
      } else {
        bootstrap.merge(other.bootstrap);
      }
    }
  }

  public boolean isEmpty() {
    return sequences == 0
        && invalidRows == 0
        && lossSum.isZero()
        && weightSum.isZero()
        && correctSum.isZero()
        && topKSum.isZero()
        && bootstrap == null;
  }

  public CorpusTotals copy() {
    CorpusTotals copy = new CorpusTotals();
    copy.merge(this);
    return copy;
  }

  public double lossSum() {
    return lossSum.value();
  }

  public double weightSum() {
    return weightSum.value();
  }

  /** Σ w · accuracy credit over the corpus. */
  public double correctSum() {
    return correctSum.value();
  }

  /** Σ w · top-k credit over the corpus. */
  public double topKSum() {
    return topKSum.value();
  }

  public long sequences() {
    return sequences;
  }

  public long tokens() {
    return tokens;
  }

  public long nonzeroWeights() {
    return nonzeroWeights;
  }

  public long invalidRows() {
    return invalidRows;
  }

  /** The longest valid sequence: T_max. */
  public int maxLength() {
    return maxLength;
  }

  public long zeroDenominatorSequences() {
    return zeroDenominatorSequences;
  }
}
