package io.seqloss.loss;

/** {@code tf.nn.sparse_softmax_cross_entropy_with_logits}: {@code logsumexp(l) - l[target]}. */
public final class SparseSoftmaxCrossEntropy implements TokenLoss {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "sparse_softmax_cross_entropy";

  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    return LogSumExp.of(logits, numClasses) - logits[target];
  }

  @Override
  public double lossGivenMax(
      double[] logits, int numClasses, double maxLogit, int target, TokenContext token) {
    return LogSumExp.of(logits, numClasses, maxLogit) - logits[target];
  }

  @Override
  public boolean isCrossEntropy() {
    return true;
  }
}
