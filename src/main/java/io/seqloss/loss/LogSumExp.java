package io.seqloss.loss;

/** Numerically stable log-sum-exp over a prefix of an array. */
public final class LogSumExp {
  /**
   * Per-thread scratch for the numerators: a loss instance is used by one task thread at a time.
   */
  private static final ThreadLocal<double[]> NUMERATORS =
      ThreadLocal.withInitial(() -> new double[0]);

  private LogSumExp() {}

  /**
   * {@code m + log(sum(exp(x - m)))} with {@code m = max(x)}. Every exponent is at most 0, so
   * logits of magnitude 1e4 neither overflow nor underflow to a zero sum.
   *
   * <p>Wide rows (at least {@link ShiftedExp#MIN_VECTOR_LENGTH} values, a real vocabulary) take two
   * passes, the max and then {@link ShiftedExp}'s SIMD-friendly numerators: reading the row twice
   * from cache costs less than one scalar {@code Math.exp} per value. Short rows (V = 2
   * classifiers) take one "online" pass with {@code Math.exp}: the sum is kept relative to the
   * largest value seen so far and rescaled by {@code exp(old - new)} when a larger one arrives.
   */
  public static double of(double[] x, int n) {
    if (n <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (n < ShiftedExp.MIN_VECTOR_LENGTH) {
      return online(x, n);
    }
    return shifted(x, n, ShiftedExp.max(x, n));
  }

  /**
   * The same, given {@code max}, the largest of {@code x[0..n)} (seqloss finds it while it checks
   * the logits, so wide rows save their first pass). Gives the bits of {@link #of(double[], int)}.
   */
  public static double of(double[] x, int n, double max) {
    if (n < ShiftedExp.MIN_VECTOR_LENGTH) {
      return of(x, n);
    }
    return shifted(x, n, max);
  }

  private static double shifted(double[] x, int n, double max) {
    double[] numerators = numerators(n);
    ShiftedExp.of(x, n, max, numerators);
    return max + Math.log(ShiftedExp.sum(numerators, n));
  }

  private static double online(double[] x, int n) {
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

  private static double[] numerators(int n) {
    double[] buffer = NUMERATORS.get();
    if (buffer.length < n) {
      buffer = new double[n];
      NUMERATORS.set(buffer);
    }
    return buffer;
  }
}
