package io.seqloss.reduce;

import io.seqloss.config.Reduction;

/**
 * The one place where a reduction divides: which denominator its flags choose, and TensorFlow's
 * guard against dividing by zero. Every result (corpus, sequence, timestep, group) divides through
 * here.
 */
public final class Ratios {
  private Ratios() {}

  /** The weight sum, or the count of non-zero weights for the {@code sum_over_*} flags. */
  public static double denominator(Reduction reduction, double weightSum, long nonzeroWeights) {
    return reduction.dividesByCount() ? nonzeroWeights : weightSum;
  }

  /** TensorFlow's divide guard: nothing to divide by gives 0, not NaN. */
  public static double divideOrZero(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
  }
}
