package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.ConfigException;
import io.seqloss.testing.ByHand;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampledSoftmaxTest {
  private static final TokenContext ANY = new TokenPosition(0);

  private static double fullCrossEntropy(double[] l, int target) {
    return ByHand.logSumExp(l) - l[target];
  }

  /**
   * V = 5, target 2, a draw of {4, 2, 0} that took 5 tries, log-uniform: class 2 is an accidental
   * hit, so the set is {0, 2, 4}; Q(c) = 1 - (1 - p_c)^5 with p_c = log((c + 2) / (c + 1)) / log 6.
   * By hand (numpy, float64): 2.952925411783468.
   */
  @Test
  void fixedDrawMatchesHandComputation() {
    double[] l = {1.0, 2.0, 0.5, -1.0, 3.0};
    SampledSoftmax loss = new SampledSoftmax(3, CandidateSampler.LOG_UNIFORM);
    int[] set = {0, 2, 4};
    double[] z = new double[3];
    for (int i = 0; i < 3; i++) {
      int c = set[i];
      double p = Math.log((c + 2.0) / (c + 1.0)) / Math.log(6.0);
      z[i] = l[c] - Math.log(1 - Math.pow(1 - p, 5));
    }
    double pTarget = Math.log(4.0 / 3.0) / Math.log(6.0);
    double byFormula =
        Math.log(Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]))
            - (l[2] - Math.log(1 - Math.pow(1 - pTarget, 5)));
    double got = loss.lossOver(l, 5, 2, new int[] {4, 2, 0}, 3, 5);
    assertEquals(2.952925411783468, got, 1e-12);
    assertEquals(byFormula, got, 1e-12);
  }

  /**
   * A draw without rejections uses TensorFlow's shortcut Q = p * num_sampled (here 3/5 for every
   * class).
   */
  @Test
  void drawWithoutRejectionUsesTensorFlowsShortcut() {
    double[] l = {1.0, 2.0, 0.5, -1.0, 3.0};
    SampledSoftmax loss = new SampledSoftmax(3, CandidateSampler.UNIFORM);
    // Q is the same for every class, so it cancels: plain cross-entropy over {0, 2, 4}
    double expected = Math.log(Math.exp(1.0) + Math.exp(0.5) + Math.exp(3.0)) - 0.5;
    assertEquals(2.696734096919617, expected, 1e-12);
    assertEquals(expected, loss.lossOver(l, 5, 2, new int[] {4, 2, 0}, 3, 3), 1e-12);
    assertEquals(0.6, CandidateSampler.UNIFORM.expectedCount(1, 5, 3, 3), 1e-15);
    assertEquals(1 - Math.pow(0.8, 7), CandidateSampler.UNIFORM.expectedCount(1, 5, 3, 7), 1e-15);
  }

  @Test
  void uniformSamplingOfEveryClassIsTheFullCrossEntropyExactly() {
    Random random = new Random(7);
    int v = 50;
    SampledSoftmax sampled = new SampledSoftmax(v, CandidateSampler.UNIFORM);
    SparseSoftmaxCrossEntropy full = new SparseSoftmaxCrossEntropy();
    TokenPosition position = new TokenPosition(3);
    for (int token = 0; token < 200; token++) {
      double[] l = new double[v];
      double scale = token % 2 == 0 ? 3.0 : 1e4; // extreme logits too
      for (int c = 0; c < v; c++) {
        l[c] = random.nextGaussian() * scale;
      }
      int target = random.nextInt(v);
      position.at(token, token % 7);
      double expected = full.loss(l, v, target, position);
      assertEquals(expected, sampled.loss(l, v, target, position), 0.0, "token " + token);
      assertEquals(fullCrossEntropy(l, target), expected, 1e-9 * Math.max(1, Math.abs(expected)));
    }
  }

  @Test
  void extremeLogitsStayFinite() {
    double[] l = {1e4, -1e4, 0, 5e3};
    for (CandidateSampler s : CandidateSampler.values()) {
      SampledSoftmax loss = new SampledSoftmax(2, s);
      for (int target = 0; target < 4; target++) {
        double x = loss.loss(l, 4, target, ANY);
        // the target is always in the set, so the loss is at least 0
        assertTrue(Double.isFinite(x) && x >= 0.0, s + " target " + target + ": " + x);
      }
    }
    // the target far above every candidate: the loss is ~0, not NaN
    assertEquals(0.0, new SampledSoftmax(3, CandidateSampler.UNIFORM).loss(l, 4, 0, ANY), 1e-12);
  }

  @Test
  void drawsAreSeededByTheTokenAlone() {
    double[] l = new double[1000];
    Random random = new Random(1);
    for (int c = 0; c < l.length; c++) {
      l[c] = random.nextGaussian();
    }
    SampledSoftmax a = new SampledSoftmax(10, CandidateSampler.LOG_UNIFORM);
    SampledSoftmax b = new SampledSoftmax(10, CandidateSampler.LOG_UNIFORM);
    TokenPosition p = new TokenPosition(42);
    p.at(TokenPosition.keyOf("seq-1"), 3);
    double first = a.loss(l, 1000, 5, p);
    a.loss(l, 1000, 9, new TokenPosition(1)); // other tokens in between change nothing
    assertEquals(first, a.loss(l, 1000, 5, p), 0.0);
    assertEquals(first, b.loss(l, 1000, 5, p), 0.0);
    Set<Double> values = new HashSet<>();
    for (int t = 0; t < 20; t++) {
      p.at(TokenPosition.keyOf("seq-1"), t);
      values.add(a.loss(l, 1000, 5, p));
    }
    assertTrue(values.size() > 15, "other timesteps draw other candidates: " + values.size());
    TokenPosition otherSeed = new TokenPosition(43);
    otherSeed.at(TokenPosition.keyOf("seq-1"), 3);
    assertNotEquals(first, a.loss(l, 1000, 5, otherSeed));
  }

  @Test
  void numSampledAboveVIsAUsageError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                TokenLosses.create(
                    LossSettings.sampledSoftmax(11, CandidateSampler.UNIFORM, 0), 10, null));
    assertTrue(
        e.getMessage().contains("--num-sampled 11 exceeds the number of classes V=10"),
        e.getMessage());
  }
}
