package io.seqloss.loss;

/** Numerically stable log-sum-exp over a prefix of an array. */
public final class LogSumExp {
  private LogSumExp() {}

  /**
   * {@code m + log(sum(exp(x - m)))} with {@code m = max(x)}: every exponent is at most 0, so logits of
   * magnitude 1e4 neither overflow nor underflow to a zero sum.
   */
  public static double of(double[] x, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, x[i]);
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      sum += Math.exp(x[i] - max);
    }
    return max + Math.log(sum);
  }
}
