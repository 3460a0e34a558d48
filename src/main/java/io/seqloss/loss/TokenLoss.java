package io.seqloss.loss;

import java.io.Serializable;

/**
 * The per-token loss: TensorFlow's {@code softmax_loss_function}. It sees one token's logits, its
 * target and where the token is, and returns that token's loss before weighting; weights, {@code
 * --ignore-index}, {@code --class-weights} and every reduction are seqloss's job.
 *
 * <p>This is seqloss's public extension point. To plug in your own loss, implement it in a public
 * class with a public no-argument constructor, put the class in a jar and run {@code ./submit.sh
 * --jars my-loss.jar --loss com.example.MyLoss ...}.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>seqloss creates one instance per Spark task (on the executors, by class name) and calls it
 *       from that task's thread only, so an implementation may keep scratch buffers in fields.
 *   <li>It must be deterministic: the same logits, target and {@link TokenContext} give the same
 *       bits. Randomised losses draw from {@link TokenContext#randomSeed()}, never from a clock or
 *       a global generator, so that a rerun, or the same corpus in another partitioning, gives the
 *       identical result.
 *   <li>It should return a finite number; non-finite losses propagate into the sums as they are.
 * </ul>
 */
public interface TokenLoss extends Serializable {

  /**
   * @param logits the token's scores; only {@code logits[0..numClasses)} are meaningful (the array
   *     is a reused buffer and may be longer; do not keep it or write to it). Every value is
   *     finite: seqloss rejects rows with NaN or infinite logits before calling a loss.
   * @param numClasses V, the number of classes; at least 1
   * @param target the true class, in {@code [0, numClasses)} (tokens whose target is the {@code
   *     --ignore-index} never reach the loss)
   * @param token where the token is: its sequence, its timestep, and a deterministic random seed
   * @return the loss of this token, before weighting
   */
  double loss(double[] logits, int numClasses, int target, TokenContext token);

  /**
   * The same loss, told the largest of {@code logits[0..numClasses)}, which seqloss computes anyway
   * while it checks them. seqloss calls this one; a loss built on a log-sum-exp overrides it to
   * skip its own pass for the maximum ({@code LogSumExp.of(logits, numClasses, maxLogit)}). It must
   * return what {@link #loss} returns. The default ignores {@code maxLogit} and calls {@link
   * #loss}.
   */
  default double lossGivenMax(
      double[] logits, int numClasses, double maxLogit, int target, TokenContext token) {
    return loss(logits, numClasses, target, token);
  }

  /**
   * True when the loss is the cross-entropy of the full softmax in nats, so that {@code exp(loss)}
   * of the scalar result is a perplexity and {@code loss / ln 2} is bits per token. Default false.
   */
  default boolean isCrossEntropy() {
    return false;
  }
}
