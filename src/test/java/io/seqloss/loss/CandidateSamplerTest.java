package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CandidateSamplerTest {

  @Test
  void probabilitiesSumToOne() {
    for (CandidateSampler s : CandidateSampler.values()) {
      double sum = 0;
      for (int c = 0; c < 10000; c++) {
        sum += s.probability(c, 10000);
      }
      assertEquals(1.0, sum, 1e-9, s.name());
    }
    // log-uniform is Zipfian over ids: class 0 takes log 2 / log(V + 1)
    assertEquals(
        Math.log(2) / Math.log(11), CandidateSampler.LOG_UNIFORM.probability(0, 10), 1e-15);
  }

  @Test
  void drawFrequenciesFollowTheProbabilities() {
    int v = 10;
    int draws = 400_000;
    for (CandidateSampler s : CandidateSampler.values()) {
      long[] counts = new long[v];
      SplitMix64 random = new SplitMix64(99);
      for (int i = 0; i < draws; i++) {
        int c = s.sample(random, v);
        assertTrue(c >= 0 && c < v);
        counts[c]++;
      }
      for (int c = 0; c < v; c++) {
        double expected = s.probability(c, v) * draws;
        double sd = Math.sqrt(expected);
        assertEquals(expected, counts[c], 5 * sd, s + " class " + c);
      }
    }
  }

  @Test
  void splitMix64MatchesItsReferenceOutput() {
    // The first outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
    SplitMix64 random = new SplitMix64(0);
    assertEquals(0xe220a8397b1dcdafL, random.nextLong());
    assertEquals(0x6e789e6aa1b965f4L, random.nextLong());
  }
}
