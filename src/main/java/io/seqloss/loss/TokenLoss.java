package io.seqloss.loss;

import java.io.Serializable;

/**
 * The per-token loss: TensorFlow's {@code softmax_loss_function}. It sees one token's logits and its
 * target and returns that token's unweighted loss; weighting and every reduction are seqloss's job.
 *
 * <p>Implementations are created once per task and called from one thread, so they may keep scratch
 * buffers. They must be deterministic: the same logits and target give the same bits.
 */
public interface TokenLoss extends Serializable {

  /**
   * @param logits the token's scores; only {@code logits[0..numClasses)} are meaningful (the array is a
   *     reused buffer and may be longer). Every value is finite: seqloss rejects NaN and infinities first.
   * @param numClasses V, the number of classes; at least 1
   * @param target the true class, in {@code [0, numClasses)}
   * @return the loss of this token, before weighting
   */
  double loss(double[] logits, int numClasses, int target);

  /** True when the loss is a cross-entropy in nats, so that {@code exp(loss)} is a perplexity. */
  default boolean isCrossEntropy() {
    return false;
  }
}
