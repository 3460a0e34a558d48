package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparseSoftmaxCrossEntropyTest {
  private static final TokenContext ANY = new TokenPosition(0);
  private final SparseSoftmaxCrossEntropy ce = new SparseSoftmaxCrossEntropy();

  @Test
  void handComputedValues() {
    // log(e^2 + e^1 + e^0) - 2
    assertEquals(0.4076059644443804, ce.loss(new double[] {2, 1, 0}, 3, 0, ANY), 1e-15);
    assertEquals(Math.log(3), ce.loss(new double[] {0, 0, 0}, 3, 1, ANY), 1e-15);
    assertEquals(0.0, ce.loss(new double[] {7.5}, 1, 0, ANY), 0.0);
  }

  @Test
  void logitsOfMagnitude1e4NeitherOverflowNorLosePrecision() {
    // exp(1e4) overflows a double; the shifted form gives log(1 + e^-1) exactly as for [1, 0].
    double expected = Math.log1p(Math.exp(-1.0));
    assertEquals(expected, ce.loss(new double[] {10_000, 9_999}, 2, 0, ANY), 1e-12);
    assertEquals(expected + 1.0, ce.loss(new double[] {10_000, 9_999}, 2, 1, ANY), 1e-12);
    assertEquals(expected, ce.loss(new double[] {-10_000, -10_001}, 2, 0, ANY), 1e-12);
    // a target 2e4 below the max: the loss is 2e4 (plus a negligible term), finite
    double far = ce.loss(new double[] {10_000, -10_000}, 2, 1, ANY);
    assertEquals(20_000.0, far, 1e-9);
    assertTrue(Double.isFinite(far));
  }

  @Test
  void ignoresBufferTailBeyondNumClasses() {
    assertEquals(Math.log(2), ce.loss(new double[] {1, 1, 1e6}, 2, 0, ANY), 1e-15);
  }
}
