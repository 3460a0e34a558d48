package io.seqloss.testing;

import io.seqloss.loss.TokenContext;
import io.seqloss.loss.TokenLoss;

/**
 * A custom loss whose tasks run out of memory at once: what a task holding a huge per-timestep
 * result does, without a minute of filling the heap. In local mode Spark then exits the JVM with
 * status 52.
 */
public final class OutOfMemoryLoss implements TokenLoss {
  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    throw new OutOfMemoryError("Java heap space (thrown by the test's OutOfMemoryLoss)");
  }
}
