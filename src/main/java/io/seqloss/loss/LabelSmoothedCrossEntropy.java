package io.seqloss.loss;

/**
 * PyTorch's {@code cross_entropy(logits, target, label_smoothing=ε)} per token: the cross-entropy
 * against the target distribution {@code (1 - ε) · onehot(target) + ε / V}, that is {@code (1 - ε)
 * · (lse - l_target) + (ε / V) · Σ_c (lse - l_c)} with {@code lse = logsumexp(l)}.
 *
 * <p>With {@code --class-weights w}, PyTorch weights the smoothing term class by class, {@code (1 -
 * ε) · w_target · (lse - l_target) + (ε / V) · Σ_c w_c · (lse - l_c)}, and its mean divides by
 * {@code Σ w_target}. seqloss multiplies every token's loss by its weight, which includes {@code
 * w_target}, so this loss returns that expression divided by {@code w_target}: the weighted sum and
 * the weighted mean are then PyTorch's. (A token whose target has class weight 0 adds nothing here;
 * PyTorch would still add its smoothing term to the numerator.)
 */
public final class LabelSmoothedCrossEntropy implements TokenLoss {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "label_smoothed_cross_entropy";

  private final double epsilon;
  private final double[] classWeights; // null: all 1

  /**
   * @param epsilon the smoothing ε, in [0, 1]
   * @param classWeights one weight per class (PyTorch's {@code weight=}), or null
   */
  public LabelSmoothedCrossEntropy(double epsilon, double[] classWeights) {
    if (!(epsilon >= 0.0 && epsilon <= 1.0)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + epsilon);
    }
    this.epsilon = epsilon;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  @Override
  public double loss(double[] logits, int numClasses, int target, TokenContext token) {
    return smoothed(logits, numClasses, target, LogSumExp.of(logits, numClasses));
  }

  @Override
  public double lossGivenMax(
      double[] logits, int numClasses, double maxLogit, int target, TokenContext token) {
    return smoothed(logits, numClasses, target, LogSumExp.of(logits, numClasses, maxLogit));
  }

  private double smoothed(double[] logits, int numClasses, int target, double lse) {
    double ce = lse - logits[target];
    double smooth = 0.0; // Σ_c w_c (lse - l_c): every term is >= 0, so no cancellation
    if (classWeights == null) {
      for (int c = 0; c < numClasses; c++) {
        smooth += lse - logits[c];
      }
    } else {
      double targetWeight = classWeights[target];
      if (targetWeight == 0.0) {
        return 0.0; // multiplied by a token weight of 0
      }
      for (int c = 0; c < numClasses; c++) {
        smooth += classWeights[c] * (lse - logits[c]);
      }
      smooth /= targetWeight;
    }
    return (1.0 - epsilon) * ce + (epsilon / numClasses) * smooth;
  }

  /** Only without smoothing is this the plain cross-entropy whose exponential is a perplexity. */
  @Override
  public boolean isCrossEntropy() {
    return epsilon == 0.0;
  }

  public double epsilon() {
    return epsilon;
  }
}
