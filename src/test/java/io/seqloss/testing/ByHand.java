package io.seqloss.testing;

/** Reference arithmetic for tests, written out plainly and independently of seqloss's code. */
public final class ByHand {
  private ByHand() {}

  /** {@code max + log Σ exp(x - max)}. */
  public static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }
}
