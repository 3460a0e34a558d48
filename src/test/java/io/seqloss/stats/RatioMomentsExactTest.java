package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RatioMoments takes shortcuts for the usual token weights 1 and 0 (padding). Checked bit for bit
 * against the test's own exact evaluation in BigDecimal: Var = n/(n−1) · Σ(x_i·Σw − Σx·w_i)² /
 * (Σw)⁴, with every product exact and one division to 40 digits, as RatioMoments rounds it.
 */
class RatioMomentsExactTest {

  private static double exactStandardError(double[] x, double[] w) {
    BigDecimal sx = BigDecimal.ZERO;
    BigDecimal sw = BigDecimal.ZERO;
    for (int i = 0; i < x.length; i++) {
      sx = sx.add(new BigDecimal(x[i]));
      sw = sw.add(new BigDecimal(w[i]));
    }
    BigDecimal squares = BigDecimal.ZERO;
    for (int i = 0; i < x.length; i++) {
      BigDecimal r = new BigDecimal(x[i]).multiply(sw).subtract(sx.multiply(new BigDecimal(w[i])));
      squares = squares.add(r.multiply(r));
    }
    int n = x.length;
    BigDecimal numerator = squares.multiply(BigDecimal.valueOf(n));
    BigDecimal denominator = sw.pow(4).multiply(BigDecimal.valueOf(n - 1));
    return Math.sqrt(numerator.divide(denominator, new MathContext(40)).doubleValue());
  }

  private static double exactSum(double[] v) {
    BigDecimal s = BigDecimal.ZERO;
    for (double d : v) {
      s = s.add(new BigDecimal(d));
    }
    return s.doubleValue();
  }

  @Test
  void tokenWeightsOfOneZeroAndOthersGiveTheExactMoments() {
    Random random = new Random(17);
    for (int trial = 0; trial < 30; trial++) {
      int n = 2 + random.nextInt(3_000);
      double[] x = new double[n];
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        int kind = random.nextInt(10);
        // Mostly weight 1 (a loss with many mantissa bits, so x² rounds), some padding (x = w = 0,
        // either sign), some other weights, and a weight 0 with a non-zero x.
        w[i] =
            kind < 6 ? 1.0 : kind < 8 ? (random.nextBoolean() ? 0.0 : -0.0) : random.nextDouble();
        double loss = -Math.log(random.nextDouble()) * Math.pow(2, random.nextInt(40) - 20);
        x[i] = kind == 9 && trial % 2 == 0 ? loss : w[i] * loss;
      }
      x[0] = 0.0; // a zero loss at weight 1
      w[0] = 1.0;
      RatioMoments m = new RatioMoments();
      for (int i = 0; i < n; i++) {
        m.add(x[i], w[i]);
      }
      assertEquals(n, m.count());
      assertEquals(exactSum(x), m.numerator(), 0.0, "trial " + trial);
      assertEquals(exactSum(w), m.denominator(), 0.0, "trial " + trial);
      assertEquals(
          Double.doubleToLongBits(exactStandardError(x, w)),
          Double.doubleToLongBits(m.standardError()),
          "trial " + trial);
    }
  }

  @Test
  void paddingAloneCountsButAddsNothing() {
    RatioMoments m = new RatioMoments();
    m.add(0.0, 0.0);
    m.add(-0.0, -0.0);
    m.add(3.0, 1.0);
    m.add(5.0, 1.0);
    // x = (0, 0, 3, 5), w = (0, 0, 1, 1): L = 4, residuals (0, 0, -1, 1), Var = 4/3 · 2 / 2² = 2/3.
    assertEquals(4, m.count());
    assertEquals(4.0, m.ratio(), 0.0);
    assertEquals(Math.sqrt(2.0 / 3.0), m.standardError(), 0.0);
  }
}
