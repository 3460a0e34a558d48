package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoissonBootstrapTest {

  @Test
  void countsArePoissonOne() {
    int draws = 400_000;
    long[] histogram = new long[8];
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < draws; i++) {
      int c = PoissonBootstrap.count(7, i, i % 100);
      histogram[Math.min(c, 7)]++;
      sum += c;
      squares += c * c;
    }
    double mean = sum / draws;
    assertEquals(1.0, mean, 0.01);
    assertEquals(1.0, squares / draws - mean * mean, 0.01);
    // P(0) = P(1) = e^-1, P(2) = e^-1/2, P(3) = e^-1/6
    assertEquals(Math.exp(-1), histogram[0] / (double) draws, 0.003);
    assertEquals(Math.exp(-1), histogram[1] / (double) draws, 0.003);
    assertEquals(Math.exp(-1) / 2, histogram[2] / (double) draws, 0.003);
    assertEquals(Math.exp(-1) / 6, histogram[3] / (double) draws, 0.002);
  }

  @Test
  void replicatesAreTheCountWeightedSumsOfEachSequence() {
    Random random = new Random(1);
    int n = 40;
    int b = 25;
    long[] keys = new long[n];
    double[] x = new double[n];
    double[] w = new double[n];
    PoissonBootstrap bootstrap = new PoissonBootstrap(b, 99);
    for (int i = 0; i < n; i++) {
      keys[i] = random.nextLong();
      w[i] = 1 + random.nextInt(9);
      x[i] = w[i] * random.nextDouble() * 4;
      bootstrap.add(keys[i], x[i], w[i]);
    }
    double[] ratios = bootstrap.ratios();
    for (int r = 0; r < b; r++) {
      BigDecimal sx = BigDecimal.ZERO;
      BigDecimal sw = BigDecimal.ZERO;
      for (int i = 0; i < n; i++) {
        BigDecimal c = BigDecimal.valueOf(PoissonBootstrap.count(99, keys[i], r));
        sx = sx.add(c.multiply(new BigDecimal(x[i])));
        sw = sw.add(c.multiply(new BigDecimal(w[i])));
      }
      assertEquals(sx.doubleValue() / sw.doubleValue(), ratios[r], 0.0, "replicate " + r);
    }
  }

  @Test
  void sameBitsForAnySplitAndMergeOrder() {
    Random random = new Random(2);
    int n = 300;
    PoissonBootstrap whole = new PoissonBootstrap(50, 3);
    PoissonBootstrap[] parts = {
      new PoissonBootstrap(50, 3), new PoissonBootstrap(50, 3), new PoissonBootstrap(50, 3)
    };
    for (int i = 0; i < n; i++) {
      double x = random.nextDouble() * Math.pow(10, random.nextInt(8) - 4);
      double w = random.nextDouble();
      whole.add(i, x, w);
      parts[(i * 7) % 3].add(i, x, w);
    }
    PoissonBootstrap merged = parts[2].copy();
    merged.merge(parts[0]);
    merged.merge(parts[1]);
    assertArrayEquals(whole.ratios(), merged.ratios());
    assertEquals(whole.percentileInterval(0.95), merged.percentileInterval(0.95));
  }

  @Test
  void percentileIsNumpysLinearInterpolation() {
    double[] sorted = {1, 2, 3, 4, 5};
    // numpy.quantile([1,2,3,4,5], [0.025, 0.975]) = [1.1, 4.9]
    assertEquals(1.1, PoissonBootstrap.quantile(sorted, 0.025), 1e-12);
    assertEquals(4.9, PoissonBootstrap.quantile(sorted, 0.975), 1e-12);
    PoissonBootstrap b = new PoissonBootstrap(10, 0);
    b.add(1, 2.0, 1.0);
    b.add(2, 4.0, 1.0);
    List<Double> ci = b.percentileInterval(0.95);
    assertTrue(ci.get(0) >= 2.0 && ci.get(1) <= 4.0 && ci.get(0) <= ci.get(1), ci.toString());
  }
}
