package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * The statistics of compare on synthetic paired corpora with a known true difference, over seeded
 * repetitions: the 95 % intervals (delta method and paired bootstrap) should cover the truth in
 * about 95 % of them, and under no difference the p-values should be uniform. Pure Java, no Spark:
 * the repetitions exercise {@link PairedDelta} as the executors do. The observed figures are
 * printed.
 *
 * <p>The model: sequence i has w_i tokens (1..20, weight 1 each); A's token losses are a sequence
 * effect plus noise, B's are A's plus δ plus a sequence effect of B's own plus noise. So E[x_Bi −
 * x_Ai | w_i] = δ·w_i and the true corpus difference Σ E[d_i] / Σ w_i is δ.
 */
class PairedDeltaCoverageTest {
  private static final int SEQUENCES = 300;

  /** One synthetic paired corpus: returns its PairedDelta. */
  private static PairedDelta corpus(Random random, double trueDelta, int replicates, long seed) {
    PairedDelta d = new PairedDelta(replicates, seed);
    for (int i = 0; i < SEQUENCES; i++) {
      int w = 1 + random.nextInt(20);
      double aEffect = 2 + 0.5 * random.nextGaussian();
      double bEffect = 0.2 * random.nextGaussian();
      double xa = 0;
      double xb = 0;
      for (int t = 0; t < w; t++) {
        double la = aEffect + 0.5 * random.nextGaussian();
        xa += la;
        xb += la + trueDelta + bEffect + 0.3 * random.nextGaussian();
      }
      d.add(i, xa, xb, w);
    }
    return d;
  }

  @Test
  void deltaMethodIntervalsCoverTheTrueDifferenceAboutNinetyFivePercentOfTheTime() {
    double trueDelta = 0.05;
    int repetitions = 2000;
    int covered = 0;
    Random random = new Random(20261201);
    for (int r = 0; r < repetitions; r++) {
      List<Double> interval = corpus(random, trueDelta, 0, 0).interval(0.95);
      if (interval.get(0) <= trueDelta && trueDelta <= interval.get(1)) {
        covered++;
      }
    }
    double coverage = (double) covered / repetitions;
    System.out.printf(
        "compare, delta method: 95 %% intervals covered the true difference in %d of %d seeded "
            + "repetitions (%.1f %%)%n",
        covered, repetitions, 100 * coverage);
    // binomial standard deviation at 2000 repetitions: 0.5 %; 3 of them either side
    assertTrue(coverage > 0.935 && coverage < 0.965, "coverage " + coverage);
  }

  @Test
  void pairedBootstrapIntervalsCoverTheTrueDifferenceAboutNinetyFivePercentOfTheTime() {
    double trueDelta = -0.1;
    int repetitions = 300;
    int covered = 0;
    Random random = new Random(7);
    for (int r = 0; r < repetitions; r++) {
      PairedDelta d = corpus(random, trueDelta, 200, r);
      List<Double> interval = d.bootstrap().percentileInterval(0.95);
      if (interval.get(0) <= trueDelta && trueDelta <= interval.get(1)) {
        covered++;
      }
    }
    double coverage = (double) covered / repetitions;
    System.out.printf(
        "compare, paired Poisson bootstrap (200 replicates): 95 %% percentile intervals covered the "
            + "true difference in %d of %d seeded repetitions (%.1f %%)%n",
        covered, repetitions, 100 * coverage);
    // binomial standard deviation at 300 repetitions: 1.3 %
    assertTrue(coverage > 0.91 && coverage < 0.99, "coverage " + coverage);
  }

  @Test
  void pValuesAreUniformUnderNoDifference() {
    int repetitions = 2000;
    double[] p = new double[repetitions];
    Random random = new Random(42);
    int below5 = 0;
    for (int r = 0; r < repetitions; r++) {
      p[r] = corpus(random, 0.0, 0, 0).pValue();
      if (p[r] < 0.05) {
        below5++;
      }
    }
    double ks =
        new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new UniformRealDistribution(0, 1), p);
    System.out.printf(
        "compare, no true difference: %d of %d p-values below 0.05 (%.1f %%); Kolmogorov-Smirnov "
            + "test against uniform(0, 1): p = %.3f%n",
        below5, repetitions, 100.0 * below5 / repetitions, ks);
    assertTrue(ks > 0.01, "p-values not uniform: KS p = " + ks);
    assertTrue(
        below5 > 0.035 * repetitions && below5 < 0.065 * repetitions,
        below5 + " rejections at 5 %");
  }
}
