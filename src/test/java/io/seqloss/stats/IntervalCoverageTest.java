package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Synthetic corpora with a known true loss: sequences of 1..20 tokens whose per-token losses are
 * exponential with mean 2·d_i, d_i a per-sequence difficulty with mean 1 (so tokens within a
 * sequence are correlated). The true ratio E[x]/E[w] is 2. The 95 % intervals, delta method and
 * Poisson bootstrap, should cover it in about 95 % of seeded repetitions.
 */
class IntervalCoverageTest {
  private static final double TRUE_LOSS = 2.0;
  private static final int REPETITIONS = 1000;
  private static final int SEQUENCES = 150;
  private static final int REPLICATES = 200;

  @Test
  void bothIntervalsCoverTheTrueLossAbout95PercentOfTheTime() {
    int deltaCovers = 0;
    int bootstrapCovers = 0;
    for (int rep = 0; rep < REPETITIONS; rep++) {
      Random random = new Random(rep);
      RatioMoments moments = new RatioMoments();
      PoissonBootstrap bootstrap = new PoissonBootstrap(REPLICATES, rep);
      for (int i = 0; i < SEQUENCES; i++) {
        int tokens = 1 + random.nextInt(20);
        double difficulty = 0.25 + 1.5 * random.nextDouble();
        double x = 0;
        for (int t = 0; t < tokens; t++) {
          x += -Math.log(1 - random.nextDouble()) * TRUE_LOSS * difficulty;
        }
        moments.add(x, tokens);
        bootstrap.add(random.nextLong(), x, tokens);
      }
      List<Double> delta = NormalInterval.of(moments.ratio(), moments.standardError(), 0.95);
      deltaCovers += delta.get(0) <= TRUE_LOSS && TRUE_LOSS <= delta.get(1) ? 1 : 0;
      List<Double> percentile = bootstrap.percentileInterval(0.95);
      bootstrapCovers += percentile.get(0) <= TRUE_LOSS && TRUE_LOSS <= percentile.get(1) ? 1 : 0;
    }
    double deltaCoverage = deltaCovers / (double) REPETITIONS;
    double bootstrapCoverage = bootstrapCovers / (double) REPETITIONS;
    System.out.printf(
        "IntervalCoverageTest: observed coverage of nominal 95%% intervals over %d repetitions of %d "
            + "sequences: delta method %.3f, Poisson bootstrap (B = %d) %.3f%n",
        REPETITIONS, SEQUENCES, deltaCoverage, REPLICATES, bootstrapCoverage);
    // 1000 repetitions: the coverage's standard error is 0.007, so ±0.03 is over 4 of them
    assertTrue(Math.abs(deltaCoverage - 0.95) <= 0.03, "delta-method coverage " + deltaCoverage);
    assertTrue(
        Math.abs(bootstrapCoverage - 0.95) <= 0.03, "bootstrap coverage " + bootstrapCoverage);
  }
}
