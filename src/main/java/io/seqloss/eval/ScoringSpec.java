package io.seqloss.eval;

import io.seqloss.loss.LossSettings;
import io.seqloss.loss.TokenLosses;
import java.io.Serializable;

/**
 * How tokens are scored, resolved on the driver and shipped to every task, which builds its own
 * {@link TokenScorer} (and so its own loss instance) from it.
 *
 * @param loss the {@code --loss} and its options
 * @param classWeights {@code --class-weights}, one per class, or null
 * @param ignoreIndex {@code --ignore-index}, or null
 * @param topK {@code --top-k}
 */
public record ScoringSpec(LossSettings loss, double[] classWeights, Long ignoreIndex, int topK)
    implements Serializable {

  public TokenScorer newScorer(int numClasses) {
    return new TokenScorer(
        TokenLosses.create(loss, numClasses, classWeights),
        numClasses,
        classWeights,
        ignoreIndex,
        topK,
        loss.seedOrDefault());
  }
}
