package io.seqloss.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankCreditTest {

  private static double[] credits(double[] logits, int target, int k) {
    RankCredit r = new RankCredit(k);
    r.rank(logits, logits.length, target);
    return new double[] {r.accuracy(), r.topKAccuracy()};
  }

  @Test
  void withoutTiesItIsArgmaxAndInTopK() {
    double[] l = {0.1, 2.0, -1.0, 0.5, 3.0};
    // order: 4 (3.0), 1 (2.0), 3 (0.5), 0 (0.1), 2 (-1.0)
    assertEquals(1.0, credits(l, 4, 2)[0]);
    assertEquals(0.0, credits(l, 1, 2)[0]);
    assertEquals(1.0, credits(l, 1, 2)[1]);
    assertEquals(0.0, credits(l, 3, 2)[1]);
    assertEquals(1.0, credits(l, 3, 3)[1]);
    assertEquals(1.0, credits(l, 2, 5)[1]);
    assertEquals(1.0, credits(l, 2, 7)[1]); // k > V
  }

  @Test
  void tiesShareTheBoundaryPlaces() {
    // all equal: the target is the argmax in 1 of 3 tie-breaks, in the top 2 in 2 of 3
    assertEquals(1.0 / 3, credits(new double[] {0, 0, 0}, 1, 2)[0], 1e-15);
    assertEquals(2.0 / 3, credits(new double[] {0, 0, 0}, 1, 2)[1], 1e-15);
    // two tied for the top
    double[] l = {5, 1, 5, 0};
    assertEquals(0.5, credits(l, 0, 2)[0]);
    assertEquals(1.0, credits(l, 0, 2)[1]);
    // target tied with two others behind one class above: top-2 has one place left for three
    double[] m = {9, 4, 4, 4, 1};
    assertEquals(0.0, credits(m, 2, 2)[0]);
    assertEquals(1.0 / 3, credits(m, 2, 2)[1], 1e-15);
    assertEquals(2.0 / 3, credits(m, 3, 3)[1], 1e-15);
    assertEquals(1.0, credits(m, 1, 4)[1]);
    // a tie below the boundary does not matter
    assertEquals(0.0, credits(new double[] {3, 2, 1, 1}, 2, 2)[1]);
  }

  @Test
  void creditFormula() {
    assertEquals(0.0, RankCredit.credit(1, 1, 1));
    assertEquals(1.0, RankCredit.credit(3, 1, 2));
    assertEquals(0.25, RankCredit.credit(2, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> new RankCredit(0));
  }

  @Test
  void creditIsTheCaseAnalysisBitForBit() {
    for (int k = 1; k <= 6; k++) {
      for (int above = 0; above <= 9; above++) {
        for (int tied = 1; tied <= 9; tied++) {
          // the definition by cases: out of the top k, surely in it, or a share of the tie
          double expected =
              above >= k ? 0.0 : above + tied <= k ? 1.0 : (double) (k - above) / tied;
          double got = RankCredit.credit(k, above, tied);
          assertEquals(
              Double.doubleToRawLongBits(expected),
              Double.doubleToRawLongBits(got),
              "k=" + k + " above=" + above + " tied=" + tied);
        }
      }
    }
  }

  @Test
  void scalarMetricsOnlyForCrossEntropy() {
    assertEquals(Math.exp(0.5), ScalarMetrics.perplexity(0.5, true));
    assertEquals(1.0, ScalarMetrics.bitsPerToken(Math.log(2), true), 1e-15);
    assertEquals(null, ScalarMetrics.perplexity(0.5, false));
    assertEquals(null, ScalarMetrics.bitsPerToken(null, true));
  }

  @Test
  void stoppingOnceKLogitsBeatTheTargetGivesTheCreditsOfAFullCount() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    for (int trial = 0; trial < 300; trial++) {
      int v = 1 + random.nextInt(2000);
      double[] l = new double[v];
      int levels =
          1 + random.nextInt(20); // few distinct values: many ties, on both sides of block ends
      for (int c = 0; c < v; c++) {
        l[c] = random.nextInt(levels);
      }
      int target = random.nextInt(v);
      int k = 1 + random.nextInt(8);
      int above = 0;
      int tied = 0;
      for (double x : l) {
        above += x > l[target] ? 1 : 0;
        tied += x == l[target] ? 1 : 0;
      }
      double[] got = credits(l, target, k);
      assertEquals(RankCredit.credit(1, above, tied), got[0], "trial " + trial);
      assertEquals(RankCredit.credit(k, above, tied), got[1], "trial " + trial);
    }
  }
}
