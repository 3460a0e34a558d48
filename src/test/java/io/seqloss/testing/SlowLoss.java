package io.seqloss.testing;

import io.seqloss.loss.TokenContext;
import io.seqloss.loss.TokenLoss;

/**
 * A custom loss (--loss io.seqloss.testing.SlowLoss, on the driver's class path) that takes 20 ms a
 * token: a run that is surely still evaluating when a test signals it, without burning CPU.
 */
public final class SlowLoss implements TokenLoss {
  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -logits[target];
  }
}
