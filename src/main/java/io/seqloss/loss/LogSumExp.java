package io.seqloss.loss;

/** Numerically stable log-sum-exp over a prefix of an array. */
public final class LogSumExp {
  private LogSumExp() {}

  /**
   * {@code m + log(sum(exp(x - m)))} with {@code m = max(x)}, in one pass (the "online" form): the sum
   * is kept relative to the largest value seen so far and rescaled by {@code exp(old - new)} when a
   * larger one arrives. Every exponent is at most 0, as in the two-pass form, so logits of magnitude
   * 1e4 neither overflow nor underflow to a zero sum; one pass reads each logit once instead of twice,
   * and a new maximum (the only extra work) is rare after the first few values.
   */
  public static double of(double[] x, int n) {
    if (n <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double max = x[0];
    double sum = 1.0; // exp(x[0] - max)
    for (int i = 1; i < n; i++) {
      double xi = x[i];
      if (xi <= max) {
        sum += Math.exp(xi - max);
      } else {
        sum = sum * Math.exp(max - xi) + 1.0;
        max = xi;
      }
    }
    return max + Math.log(sum);
  }
}
