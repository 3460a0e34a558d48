package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.ByHand;
import org.junit.jupiter.api.Test;

class LabelSmoothingAndBrierTest {
  private static final TokenContext ANY = new TokenPosition(0);

  /**
   * PyTorch's cross_entropy(label_smoothing=ε, weight=w, reduction='none') for one token, by hand.
   */
  private static double pytorch(double[] l, int target, double eps, double[] w) {
    int v = l.length;
    double lse = ByHand.logSumExp(l);
    double nll = w[target] * (lse - l[target]);
    double smooth = 0;
    for (int c = 0; c < v; c++) {
      smooth += w[c] * (lse - l[c]);
    }
    return (1 - eps) * nll + eps / v * smooth;
  }

  @Test
  void labelSmoothingMatchesPyTorchsFormula() {
    LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.1, null);
    // -Σ_c q_c log p_c with q = 0.9·onehot(0) + 0.1/3, by hand (numpy): 0.5076059644443807
    assertEquals(0.5076059644443807, loss.loss(new double[] {2, 1, 0}, 3, 0, ANY), 1e-12);
    assertEquals(
        0.6076059644443805,
        new LabelSmoothedCrossEntropy(0.2, null).loss(new double[] {0, 1, 2}, 3, 2, ANY),
        1e-12);
    double[] ones = {1, 1, 1, 1};
    double[] l = {0.3, -2.0, 4.5, 1.0};
    for (int t = 0; t < 4; t++) {
      assertEquals(
          pytorch(l, t, 0.25, ones),
          new LabelSmoothedCrossEntropy(0.25, null).loss(l, 4, t, ANY),
          1e-12);
    }
  }

  @Test
  void labelSmoothingWithClassWeightsReproducesPyTorchOnceWeightedByTheTarget() {
    double[] w = {1.0, 2.0, 0.5, 3.0};
    double[] l = {0.3, -2.0, 4.5, 1.0};
    LabelSmoothedCrossEntropy loss = new LabelSmoothedCrossEntropy(0.3, w);
    for (int t = 0; t < 4; t++) {
      // seqloss multiplies the loss by the token's weight, which includes w[target]
      assertEquals(pytorch(l, t, 0.3, w), w[t] * loss.loss(l, 4, t, ANY), 1e-12, "target " + t);
    }
  }

  @Test
  void labelSmoothingLimits() {
    double[] l = {1e4, -1e4, 0.0};
    SparseSoftmaxCrossEntropy ce = new SparseSoftmaxCrossEntropy();
    assertEquals(
        ce.loss(l, 3, 1, ANY), new LabelSmoothedCrossEntropy(0.0, null).loss(l, 3, 1, ANY), 0.0);
    assertTrue(new LabelSmoothedCrossEntropy(0.0, null).isCrossEntropy());
    assertFalse(new LabelSmoothedCrossEntropy(0.1, null).isCrossEntropy());
    // ε = 1: the target is irrelevant, the loss is the mean of (lse - l_c)
    double lse = 1e4;
    double uniform = ((lse - 1e4) + (lse + 1e4) + (lse - 0.0)) / 3;
    assertEquals(uniform, new LabelSmoothedCrossEntropy(1.0, null).loss(l, 3, 0, ANY), 1e-9);
    assertEquals(uniform, new LabelSmoothedCrossEntropy(1.0, null).loss(l, 3, 2, ANY), 1e-9);
  }

  @Test
  void brierByHand() {
    Brier brier = new Brier();
    // p = softmax([2, 1, 0]) = [0.66524096, 0.24472847, 0.09003057]
    // target 0: (1 - 0.66524096)² + 0.24472847² + 0.09003057² = 0.18006114634076098 (numpy)
    assertEquals(0.18006114634076098, brier.loss(new double[] {2, 1, 0}, 3, 0, ANY), 1e-12);
    assertEquals(1.3304819115496436, brier.loss(new double[] {2, 1, 0}, 3, 2, ANY), 1e-12);
    assertEquals(
        2.0 / 3.0, brier.loss(new double[] {0, 0, 0}, 3, 1, ANY), 1e-15); // (2/3)² + 2·(1/3)²
    assertFalse(brier.isCrossEntropy());
  }

  @Test
  void brierKeepsTheErrorOfAConfidentRightPrediction() {
    // p_other = e^-30 / (1 + 2e^-30) each; the error is 2 p_other² + (2 p_other)² = 6 p_other²
    double e = Math.exp(-30);
    double pOther = e / (1 + 2 * e);
    double expected =
        6 * pOther * pOther; // about 5.3e-26: 1 - p_target in double would be off by 1e-3
    assertEquals(expected, new Brier().loss(new double[] {30, 0, 0}, 3, 0, ANY), expected * 1e-12);
    // confidently wrong: (1 - 0)² + 1² = 2
    assertEquals(2.0, new Brier().loss(new double[] {1e4, -1e4, 0}, 3, 1, ANY), 0.0);
  }
}
