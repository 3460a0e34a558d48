package io.seqloss.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The test's own reference: the delta-method standard error of Σx/Σw computed directly, in two
 * passes over the per-sequence values in BigDecimal (first L, then Σ(x_i − L·w_i)²), with no
 * expanded form.
 */
final class DirectRatioVariance {
  private static final MathContext MC = new MathContext(60);

  private DirectRatioVariance() {}

  static double standardError(double[] x, double[] w) {
    BigDecimal sx = BigDecimal.ZERO;
    BigDecimal sw = BigDecimal.ZERO;
    for (int i = 0; i < x.length; i++) {
      sx = sx.add(new BigDecimal(x[i]));
      sw = sw.add(new BigDecimal(w[i]));
    }
    BigDecimal ratio = sx.divide(sw, MC);
    BigDecimal squares = BigDecimal.ZERO;
    for (int i = 0; i < x.length; i++) {
      BigDecimal residual =
          new BigDecimal(x[i]).subtract(ratio.multiply(new BigDecimal(w[i]), MC), MC);
      squares = squares.add(residual.multiply(residual, MC), MC);
    }
    int n = x.length;
    BigDecimal variance =
        squares
            .multiply(BigDecimal.valueOf(n))
            .divide(BigDecimal.valueOf(n - 1), MC)
            .divide(sw.multiply(sw, MC), MC);
    return Math.sqrt(variance.doubleValue());
  }
}
