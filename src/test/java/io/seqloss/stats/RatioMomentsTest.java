package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
    RatioMoments merged = of(x, w, 300, n);
    merged.merge(roundTrip(of(x, w, 0, 17)));
    merged.merge(of(x, w, 17, 300));
    assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(merged.standardError()));
    assertEquals(n, merged.count());
  }

  @Test
  void undefinedBelowTwoSequencesOrWithoutWeight() {
    assertNull(of(new double[] {1}, new double[] {1}, 0, 1).standardError());
    assertNull(of(new double[] {0, 0}, new double[] {0, 0}, 0, 2).standardError());
    assertEquals(0.0, of(new double[] {2, 4}, new double[] {1, 2}, 0, 2).standardError(), 0.0);
  }

  private static RatioMoments roundTrip(RatioMoments m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeTo(new DataOutputStream(bytes));
    return RatioMoments.readFrom(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
