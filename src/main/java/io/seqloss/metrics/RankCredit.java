package io.seqloss.metrics;

/**
 * Token accuracy and top-k accuracy, with ties split fairly. For a token whose target has logit
 * {@code l_t}, let {@code above} be the number of classes with a logit greater than {@code l_t} and
 * {@code tied} the number with a logit equal to it (the target included). The target is among the k
 * best classes with certainty when {@code above + tied <= k}, never when {@code above >= k}, and in
 * between for {@code k - above} of the {@code tied} places at the boundary: its credit is
 *
 * <pre>   credit_k = clamp((k - above) / tied, 0, 1)</pre>
 *
 * the probability that it is in the top k when ties are broken uniformly at random. Without ties
 * this is 1 or 0, the plain {@code argmax == target} (k = 1) and {@code in_top_k}. With ties it is
 * neither optimistic (TensorFlow's {@code in_top_k} counts every tied class as in) nor biased
 * towards low class ids (argmax's first-index rule): a model that outputs equal logits scores k /
 * V, what guessing scores.
 *
 * <p>Not thread-safe: one instance per task, {@link #rank} then the accessors.
 */
public final class RankCredit {
  /** Logits counted between checks for an early stop. */
  private static final int BLOCK = 256;

  private final int topK;
  private double accuracy;
  private double topKAccuracy;

  /**
   * @param topK the k of top-k accuracy, at least 1
   */
  public RankCredit(int topK) {
    if (topK < 1) {
      throw new IllegalArgumentException("top-k must be at least 1, got " + topK);
    }
    this.topK = topK;
  }

  /** Ranks the target among {@code logits[0..numClasses)}; the results are in the accessors. */
  public void rank(double[] logits, int numClasses, int target) {
    double targetLogit = logits[target];
    int above = 0;
    int tied = 0;
    // Counted without branches inside a block: whether a logit beats the target's is a coin toss
    // the branch predictor loses. Between blocks, the count stops once k logits beat the target
    // (both credits are then 0), so a token far from the top costs a block or a few, not V.
    for (int start = 0; start < numClasses && above < topK; start += BLOCK) {
      int end = Math.min(numClasses, start + BLOCK);
      for (int c = start; c < end; c++) {
        double l = logits[c];
        above += l > targetLogit ? 1 : 0;
        tied += l == targetLogit ? 1 : 0;
      }
    }
    accuracy = credit(1, above, tied);
    topKAccuracy = credit(topK, above, tied);
  }

  /**
   * {@code clamp((k - above) / tied, 0, 1)}, without a branch on {@code above}: whether the target
   * is the top class is a coin toss on a hard corpus, which a branch mispredicted (7 % of a narrow
   * run's samples, BENCHMARKS.md). The clamp gives the same bits as the case analysis: 0.0 for any
   * {@code k - above <= 0} (an int 0 divides to +0.0), 1.0 from any quotient of at least 1.
   */
  public static double credit(int k, int above, int tied) {
    double share = tied <= 1 ? k - above : (double) (k - above) / tied; // a tie is rare
    return Math.max(0.0, Math.min(1.0, share));
  }

  /** The target's credit for being the top class: 1 when it is the unique argmax. */
  public double accuracy() {
    return accuracy;
  }

  /** The target's credit for being among the k top classes. */
  public double topKAccuracy() {
    return topKAccuracy;
  }

  public int topK() {
    return topK;
  }
}
