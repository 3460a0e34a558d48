package io.seqloss.testing;

/**
 * One test sequence's sums by hand: x = Σ_t w_t·ce_t with ce the plain softmax cross-entropy, Σ w
 * and count(w ≠ 0), and Σ w over correct argmax predictions. Independent of seqloss's code.
 */
public record SequenceSums(
    double lossSum, double weightSum, long nonzeroWeights, double correctSum, int length) {

  public static SequenceSums of(CorpusRow row) {
    double x = 0;
    double w = 0;
    long nonzero = 0;
    double correct = 0;
    for (int t = 0; t < row.targets().length; t++) {
      double[] logits = new double[row.logits()[t].length];
      int argmax = 0;
      for (int v = 0; v < logits.length; v++) {
        logits[v] = row.logits()[t][v];
        if (logits[v] > logits[argmax]) {
          argmax = v;
        }
      }
      double weight = row.weights() == null ? 1.0 : row.weights()[t];
      x += weight * (ByHand.logSumExp(logits) - logits[row.targets()[t]]);
      w += weight;
      nonzero += weight != 0 ? 1 : 0;
      correct += argmax == row.targets()[t] ? weight : 0;
    }
    return new SequenceSums(x, w, nonzero, correct, row.targets().length);
  }
}
