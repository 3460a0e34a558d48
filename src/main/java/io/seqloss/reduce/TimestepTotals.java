package io.seqloss.reduce;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-timestep sums over the batch axis, for a {@code [T]} result: exact sums of weighted losses, of
 * weights and of weighted metric credits, the count of non-zero weights, and how many sequences reach
 * each step. Grows to the
 * longest sequence seen; this is the only array proportional to T that reaches the driver.
 */
public final class TimestepTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private ExactSum[] lossSums = new ExactSum[0];
  private ExactSum[] weightSums = new ExactSum[0];
  private ExactSum[] correctSums = new ExactSum[0];
  private ExactSum[] topKSums = new ExactSum[0];
  private long[] nonzeroWeights = new long[0];
  private long[] sequences = new long[0];
  /** Steps reached so far; the arrays may be longer (capacity). */
  private int length;

  public void addToken(int t, double weightedLoss, double weight, double weightedCorrect, double weightedTopK) {
    ensureLength(t + 1);
    lossSums[t].add(weightedLoss);
    weightSums[t].add(weight);
    correctSums[t].add(weightedCorrect);
    topKSums[t].add(weightedTopK);
    if (weight != 0.0) {
      nonzeroWeights[t]++;
    }
    sequences[t]++;
  }

  public void merge(TimestepTotals other) {
    ensureLength(other.length());
    for (int t = 0; t < other.length(); t++) {
      lossSums[t].merge(other.lossSums[t]);
      weightSums[t].merge(other.weightSums[t]);
      correctSums[t].merge(other.correctSums[t]);
      topKSums[t].merge(other.topKSums[t]);
      nonzeroWeights[t] += other.nonzeroWeights[t];
      sequences[t] += other.sequences[t];
    }
  }

  public int length() {
    return length;
  }

  public double lossSum(int t) {
    return lossSums[t].value();
  }

  public double weightSum(int t) {
    return weightSums[t].value();
  }

  /** Σ w · accuracy credit at step t. */
  public double correctSum(int t) {
    return correctSums[t].value();
  }

  /** Σ w · top-k credit at step t. */
  public double topKSum(int t) {
    return topKSums[t].value();
  }

  public long nonzeroWeights(int t) {
    return nonzeroWeights[t];
  }

  public long sequences(int t) {
    return sequences[t];
  }

  private void ensureLength(int n) {
    if (n <= length) {
      return;
    }
    if (n > lossSums.length) {
      int capacity = Math.max(n, lossSums.length * 2);
      lossSums = Arrays.copyOf(lossSums, capacity);
      weightSums = Arrays.copyOf(weightSums, capacity);
      correctSums = Arrays.copyOf(correctSums, capacity);
      topKSums = Arrays.copyOf(topKSums, capacity);
      nonzeroWeights = Arrays.copyOf(nonzeroWeights, capacity);
      sequences = Arrays.copyOf(sequences, capacity);
    }
    for (int t = length; t < n; t++) {
      lossSums[t] = new ExactSum();
      weightSums[t] = new ExactSum();
      correctSums[t] = new ExactSum();
      topKSums[t] = new ExactSum();
    }
    length = n;
  }
}
