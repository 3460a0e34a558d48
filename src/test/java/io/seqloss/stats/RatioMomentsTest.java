package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RatioMomentsTest {

  private static RatioMoments of(double[] x, double[] w, int from, int to) {
    RatioMoments m = new RatioMoments();
    for (int i = from; i < to; i++) {
      m.add(x[i], w[i]);
    }
    return m;
  }

  @Test
  void smallDataByHand() {
    // x = (3, 1, 4), w = (2, 2, 4): L = 8/8 = 1, residuals (1, -1, 0), Σr² = 2,
    // Var = 3/2 · 2 / 8² = 3/64, SE = sqrt(3)/8.
    RatioMoments m = of(new double[] {3, 1, 4}, new double[] {2, 2, 4}, 0, 3);
    assertEquals(1.0, m.ratio(), 0.0);
    assertEquals(Math.sqrt(3) / 8, m.standardError(), 1e-16);
  }

  @Test
  void matchesTheDirectTwoPassFormula() {
    Random random = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int n = 2 + random.nextInt(60);
      double[] x = new double[n];
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = random.nextInt(4) == 0 ? 0.0 : random.nextDouble() * 30;
        x[i] = w[i] * (1 + random.nextDouble() * 3);
      }
      double expected = DirectRatioVariance.standardError(x, w);
      assertEquals(
          expected, of(x, w, 0, n).standardError(), Math.ulp(expected) * 2, "trial " + trial);
    }
  }

  @Test
  void noCancellationWhereTheExpandedFormInDoubleFails() {
    // Per-sequence losses that all sit near L = 1e8 per unit weight: Σx² − 2LΣxw + L²Σw² cancels
    // about 16 digits in double.
    int n = 1000;
    double[] x = new double[n];
    double[] w = new double[n];
    Random random = new Random(11);
    for (int i = 0; i < n; i++) {
      w[i] = 1 + random.nextInt(50);
      x[i] = 1e8 * w[i] + random.nextGaussian();
    }
    double expected = DirectRatioVariance.standardError(x, w);
    assertEquals(expected, of(x, w, 0, n).standardError(), Math.ulp(expected) * 2);

    double sx = 0, sw = 0, sxx = 0, sxw = 0, sww = 0;
    for (int i = 0; i < n; i++) {
      sx += x[i];
      sw += w[i];
      sxx += x[i] * x[i];
      sxw += x[i] * w[i];
      sww += w[i] * w[i];
    }
    double l = sx / sw;
    double naive =
        Math.sqrt(Math.abs(n / (n - 1.0) * (sxx - 2 * l * sxw + l * l * sww)) / (sw * sw));
    assertTrue(
        Math.abs(naive - expected) > expected,
        "the naive form should be far off: " + naive + " vs " + expected);
  }

  @Test
  void sameBitsForAnySplitAndMergeOrderAndThroughItsEncoding() throws IOException {
    Random random = new Random(5);
    int n = 500;
    double[] x = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextDouble();
      x[i] = random.nextDouble() * Math.pow(10, random.nextInt(6));
    }
    double whole = of(x, w, 0, n).standardError();
    RatioMoments merged = inThreeParts(x, w, 17, 300);
    assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(merged.standardError()));
    assertEquals(n, merged.count());
  }

  @Test
  void tokensOfWeightOneGiveTheSumsOfTheDirectFormulaInAnySplit() throws IOException {
    // Mostly weight 1 (the report's tokens), some 0 (padding) and some other weights: the weight-1
    // terms are counted apart from the others, and must still give the sums themselves.
    Random random = new Random(11);
    int n = 400;
    double[] x = new double[n];
    double[] w = new double[n];
    BigDecimal weightSum = BigDecimal.ZERO;
    BigDecimal lossSum = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(5);
      w[i] = kind < 3 ? 1.0 : kind == 3 ? 0.0 : 0.25 + random.nextInt(8) * 0.5;
      x[i] = w[i] * random.nextDouble() * 4;
      weightSum = weightSum.add(new BigDecimal(w[i]));
      lossSum = lossSum.add(new BigDecimal(x[i]));
    }
    RatioMoments whole = of(x, w, 0, n);
    assertEquals(weightSum.doubleValue(), whole.denominator(), 0.0); // an exact sum of halves
    double expectedRatio = lossSum.divide(weightSum, MathContext.DECIMAL128).doubleValue();
    assertEquals(expectedRatio, whole.ratio(), Math.ulp(expectedRatio));
    double expected = DirectRatioVariance.standardError(x, w);
    assertEquals(expected, whole.standardError(), Math.ulp(expected) * 2);
    RatioMoments merged = inThreeParts(x, w, 90, 250);
    assertEquals(
        Double.doubleToLongBits(whole.standardError()),
        Double.doubleToLongBits(merged.standardError()));
    assertEquals(
        Double.doubleToLongBits(whole.denominator()),
        Double.doubleToLongBits(merged.denominator()));
    assertEquals(Double.doubleToLongBits(whole.ratio()), Double.doubleToLongBits(merged.ratio()));
  }

  @Test
  void undefinedBelowTwoSequencesOrWithoutWeight() {
    assertNull(of(new double[] {1}, new double[] {1}, 0, 1).standardError());
    assertNull(of(new double[] {0, 0}, new double[] {0, 0}, 0, 2).standardError());
    assertEquals(0.0, of(new double[] {2, 4}, new double[] {1, 2}, 0, 2).standardError(), 0.0);
  }

  /**
   * The moments of [0, n) from three parts merged out of order, [cut2, n) first, the part [0, cut1)
   * through the encoding.
   */
  private static RatioMoments inThreeParts(double[] x, double[] w, int cut1, int cut2)
      throws IOException {
    RatioMoments merged = of(x, w, cut2, x.length);
    merged.merge(roundTrip(of(x, w, 0, cut1)));
    merged.merge(of(x, w, cut1, cut2));
    return merged;
  }

  private static RatioMoments roundTrip(RatioMoments m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeTo(new DataOutputStream(bytes));
    return RatioMoments.readFrom(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
