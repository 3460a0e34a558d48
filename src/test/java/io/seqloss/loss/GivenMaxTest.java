package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The losses told the maximum (what seqloss calls) give the bits of the losses that find it
 * themselves.
 */
class GivenMaxTest {
  private static final TokenPosition TOKEN = new TokenPosition(1);

  @Test
  void logSumExpGivenTheMaximumIsBitIdentical() {
    SplittableRandom random = new SplittableRandom(5);
    for (int n :
        new int[] {
          1, 2, 10, ShiftedExp.MIN_VECTOR_LENGTH - 1, ShiftedExp.MIN_VECTOR_LENGTH, 1000, 32000
        }) {
      double[] x = row(random, n);
      assertEquals(LogSumExp.of(x, n), LogSumExp.of(x, n, ShiftedExp.max(x, n)), 0.0, "n " + n);
    }
  }

  @Test
  void builtInLossesGivenTheMaximumAreBitIdentical() {
    SplittableRandom random = new SplittableRandom(6);
    double[] weights = new double[500];
    java.util.Arrays.fill(weights, 0.5);
    weights[1] = 2.0;
    TokenLoss[] losses = {
      new SparseSoftmaxCrossEntropy(),
      new LabelSmoothedCrossEntropy(0.1, null),
      new LabelSmoothedCrossEntropy(0.2, weights)
    };
    for (TokenLoss loss : losses) {
      for (int n : new int[] {2, 500}) {
        double[] x = row(random, n);
        double max = ShiftedExp.max(x, n);
        assertEquals(
            loss.loss(x, n, 1, TOKEN),
            loss.lossGivenMax(x, n, max, 1, TOKEN),
            0.0,
            loss.getClass().getSimpleName() + ", n " + n);
      }
    }
  }

  @Test
  void aPluggedInLossThatIgnoresTheMaximumIsCalledAsBefore() {
    TokenLoss firstLogit = (logits, numClasses, target, token) -> logits[0];
    assertEquals(4.0, firstLogit.lossGivenMax(new double[] {4, 9}, 2, 9, 1, TOKEN), 0.0);
  }

  private static double[] row(SplittableRandom random, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((random.nextDouble() * 2 - 1) * 20);
    }
    return x;
  }
}
