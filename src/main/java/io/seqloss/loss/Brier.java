package io.seqloss.loss;

/**
 * The multi-class Brier score (Brier 1950): the squared error between the softmax probabilities and
 * the one-hot target, summed over the classes, {@code Σ_c (p_c - [c = target])²}, in [0, 2]. The
 * probabilities come from a max-subtracted softmax, and {@code 1 - p_target} is computed as {@code
 * Σ_{c ≠ target} p_c}, so a confident correct prediction does not lose its small error to
 * cancellation.
 */
public final class Brier implements TokenLoss {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "brier";

  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < numClasses; c++) {
      max = Math.max(max, logits[c]);
    }
    double sum = 0.0;
    double others = 0.0; // Σ_{c ≠ target} exp(l_c - max)
    double othersSquared = 0.0; // Σ_{c ≠ target} exp(l_c - max)²
    for (int c = 0; c < numClasses; c++) {
      double e = Math.exp(logits[c] - max);
      sum += e;
      if (c != target) {
        others += e;
        othersSquared += e * e;
      }
    }
    double missed = others / sum; // 1 - p_target
    return othersSquared / (sum * sum) + missed * missed;
  }
}
