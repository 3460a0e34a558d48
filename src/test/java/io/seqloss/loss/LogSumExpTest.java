package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.testing.ByHand;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogSumExpTest {

  @Test
  void matchesTheTwoPassFormOnRandomLogits() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(3000);
      double scale = Math.pow(10, random.nextInt(5) - 1);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = (random.nextDouble() * 2 - 1) * scale;
      }
      double expected = ByHand.logSumExp(x);
      assertEquals(expected, LogSumExp.of(x, n), 1e-12 * Math.max(1, Math.abs(expected)));
    }
  }

  @Test
  void largeMagnitudesNeitherOverflowNorUnderflow() {
    assertEquals(1e4 + Math.log(2), LogSumExp.of(new double[] {1e4, 1e4}, 2), 1e-9);
    assertEquals(-1e4 + Math.log(2), LogSumExp.of(new double[] {-1e4, -1e4}, 2), 1e-9);
    assertEquals(1e4, LogSumExp.of(new double[] {-1e4, 1e4}, 2), 1e-9);
  }

  @Test
  void increasingAndDecreasingOrdersAgree() {
    double[] up = {0, 1, 2, 3, 4, 5};
    double[] down = {5, 4, 3, 2, 1, 0};
    assertEquals(LogSumExp.of(down, 6), LogSumExp.of(up, 6), 1e-14);
    assertEquals(ByHand.logSumExp(up), LogSumExp.of(up, 6), 1e-14);
  }

  @Test
  void onlyThePrefixCounts() {
    assertEquals(3.0, LogSumExp.of(new double[] {3.0, 100.0}, 1), 0.0);
  }
}
