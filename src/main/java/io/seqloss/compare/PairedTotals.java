package io.seqloss.compare;

import io.seqloss.loss.TokenPosition;
import io.seqloss.stats.LossHistogram;
import io.seqloss.stats.PairedDelta;
import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * What a comparison keeps of the joined per-sequence rows, summed on the executors and merged in
 * any order: counts of the pairs and of the ids in one run only, the pairs' {@link PairedDelta},
 * and for the report an exact histogram of the per-sequence differences and the pairs whose loss
 * rose most. Nothing in it grows with the number of sequences (the histogram's sparse bins with the
 * range of the differences only).
 */
final class PairedTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The joined row: id, then loss, loss_sum, weight_sum, nonzero_weights of A, then the same of B.
   */
  static final int ID = 0;

  private static final int A = 1;
  private static final int B = 5;

  private final boolean byCount;
  long paired;
  long baselineOnly;
  long candidateOnly;
  long candidateBetter;
  long ties;
  long baselineBetter;
  long mismatched;

  /**
   * The smallest id of a pair whose weights differ: an example that does not depend on the
   * partitioning.
   */
  Object mismatchExample;

  String mismatchDetail;
  final PairedDelta delta;

  /**
   * L_B − L_A per pair, in bins of 2^-20 joined while more than 4,096 are needed: close checkpoints
   * get fine bars, distant ones coarse; null when off.
   */
  final LossHistogram differences;

  final LargestIncreases increases;

  /** Bins per unit of the differences' histogram before any join, and its bound on bins. */
  static final double DIFFERENCE_BINS_PER_UNIT = 1 << 20;

  static final int DIFFERENCE_MAX_BINS = 4096;

  /**
   * {@code worst}: how many of the largest increases to keep; {@code histogram}: whether to count
   * the differences (a comparison's report, not its groups).
   */
  PairedTotals(boolean byCount, int replicates, long seed, int worst, boolean histogram) {
    this.byCount = byCount;
    this.delta = new PairedDelta(replicates, seed);
    this.differences =
        histogram ? new LossHistogram(DIFFERENCE_BINS_PER_UNIT, DIFFERENCE_MAX_BINS) : null;
    this.increases = new LargestIncreases(worst);
  }

  PairedTotals add(Row row) {
    boolean inA = !row.isNullAt(A + 1);
    boolean inB = !row.isNullAt(B + 1);
    if (!inB) {
      baselineOnly++;
      return this;
    }
    if (!inA) {
      candidateOnly++;
      return this;
    }
    double wa = row.getDouble(A + 2);
    double wb = row.getDouble(B + 2);
    long na = row.getLong(A + 3);
    long nb = row.getLong(B + 3);
    if (wa != wb || na != nb) {
      mismatch(
          row.get(ID),
          String.format("weight_sum %s against %s, nonzero_weights %d against %d", wa, wb, na, nb));
      return this;
    }
    double xa = row.getDouble(A + 1);
    double xb = row.getDouble(B + 1);
    double w = byCount ? na : wa;
    paired++;
    delta.add(TokenPosition.keyOf(row.get(ID)), xa, xb, w);
    double la = row.getDouble(A);
    double lb = row.getDouble(B);
    if (lb < la) {
      candidateBetter++;
    } else if (lb == la) {
      ties++;
    } else {
      baselineBetter++;
    }
    if (differences != null) {
      differences.add(lb - la);
    }
    increases.offer(row.get(ID), la, lb, wa);
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void mismatch(Object id, String detail) {
    mismatched++;
    if (mismatchExample == null || ((Comparable) id).compareTo(mismatchExample) < 0) {
      mismatchExample = id;
      mismatchDetail = detail;
    }
  }

  PairedTotals merge(PairedTotals other) {
    paired += other.paired;
    baselineOnly += other.baselineOnly;
    candidateOnly += other.candidateOnly;
    candidateBetter += other.candidateBetter;
    ties += other.ties;
    baselineBetter += other.baselineBetter;
    if (other.mismatched > 0) {
      long before = mismatched;
      mismatch(other.mismatchExample, other.mismatchDetail);
      mismatched = before + other.mismatched;
    }
    delta.merge(other.delta);
    if (differences != null) {
      differences.merge(other.differences);
    }
    increases.merge(other.increases);
    return this;
  }
}
