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

  /** SplitMix64's finaliser (Steele, Lea and Flood 2014), written out here as the reference. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The count by the textbook inversion: the smallest k with u < P(Poisson(1) ≤ k), u a 53-bit
   * uniform from replicate r's draw of the generator seeded by (seed, key).
   */
  private static int inversionCount(long seed, long key, int r) {
    long gamma = 0x9e3779b97f4a7c15L;
    long base = mix(seed ^ mix(key + gamma));
    double u = (mix(base + (r + 1) * gamma) >>> 11) * 0x1p-53;
    double p = Math.exp(-1);
    double cdf = p;
    int k = 0;
    while (u >= cdf && k < 23) {
      k++;
      p /= k;
      cdf += p;
    }
    return k;
  }

  @Test
  void manyReplicatesTakeTheInversionCountsIncludingTheTail() {
    int n = 20_000;
    int b = 100; // 2 M draws: about 1,200 counts of 6 or more, a few of 8 or more
    PoissonBootstrap bootstrap = new PoissonBootstrap(b, 5);
    long[] sx = new long[b]; // Σ c·2x, exact in a long: x is a half-integer
    long[] sw = new long[b];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      long key = i * 0x2545F4914F6CDD1DL;
      long twiceX = 2L * (i % 97) + 1;
      long w = 1 + i % 9;
      bootstrap.add(key, twiceX / 2.0, w);
      for (int r = 0; r < b; r++) {
        int c = inversionCount(5, key, r);
        tail += c >= 6 ? 1 : 0;
        sx[r] += c * twiceX;
        sw[r] += c * w;
      }
    }
    assertTrue(tail > 800, "counts of 6 or more: " + tail);
    double[] ratios = bootstrap.ratios();
    for (int r = 0; r < b; r++) {
      assertEquals(sx[r] / 2.0 / sw[r], ratios[r], 0.0, "replicate " + r);
    }
  }
}
