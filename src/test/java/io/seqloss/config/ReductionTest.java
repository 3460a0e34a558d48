package io.seqloss.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.reduce.Ratios;
import org.junit.jupiter.api.Test;

class ReductionTest {

  @Test
  void shapesOfTheValidCombinations() {
    assertEquals(Reduction.Shape.SCALAR, Reduction.of(true, true, false, false).shape());
    assertEquals(Reduction.Shape.SCALAR, Reduction.of(false, false, true, true).shape());
    assertEquals(Reduction.Shape.PER_SEQUENCE, Reduction.of(true, false, false, false).shape());
    assertEquals(Reduction.Shape.PER_SEQUENCE, Reduction.of(false, false, true, false).shape());
    assertEquals(Reduction.Shape.PER_TIMESTEP, Reduction.of(false, true, false, false).shape());
    assertEquals(Reduction.Shape.PER_TIMESTEP, Reduction.of(false, false, false, true).shape());
    assertEquals(Reduction.Shape.PER_TOKEN, Reduction.of(false, false, false, false).shape());
    assertEquals(
        Reduction.Denominator.NONZERO_COUNT, Reduction.of(false, false, true, true).denominator());
    assertEquals(
        Reduction.Denominator.WEIGHT_SUM, Reduction.of(true, false, false, false).denominator());
  }

  @Test
  void averageAndSumOverOnOneAxisIsRefused() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Reduction.of(true, false, true, false));
    assertTrue(
        e.getMessage().contains("--average-across-timesteps and --sum-over-timesteps"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> Reduction.of(false, true, false, true));
    assertTrue(
        e.getMessage().contains("--average-across-batch and --sum-over-batch"), e.getMessage());
  }

  @Test
  void averageOnOneAxisWithSumOverOnTheOtherIsRefused() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Reduction.of(true, false, false, true));
    assertTrue(e.getMessage().contains("silently ignores"), e.getMessage());
    assertThrows(ConfigException.class, () -> Reduction.of(false, true, true, false));
  }

  @Test
  void zeroDenominatorGivesZero() {
    assertEquals(0.0, Ratios.divideOrZero(3.0, 0.0), 0.0);
    assertEquals(1.5, Ratios.divideOrZero(3.0, 2.0), 0.0);
  }
}
