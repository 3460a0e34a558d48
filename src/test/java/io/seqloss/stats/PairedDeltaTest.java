package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PairedDelta on small pairs computed by hand. */
class PairedDeltaTest {

  @Test
  void differencesProportionalToTheWeightsHaveNoSpread() {
    PairedDelta d = new PairedDelta(0, 0);
    d.add(1, 1.0, 1.5, 2.0); // d = 0.5 = 0.25 * 2
    d.add(2, 3.0, 4.0, 4.0); // d = 1.0 = 0.25 * 4
    assertEquals(0.25, d.delta(), 0.0);
    assertEquals(4.0 / 6, d.baselineRatio(), 0.0);
    assertEquals(5.5 / 6, d.candidateRatio(), 0.0);
    assertEquals(0.0, d.standardError(), 0.0);
    assertEquals(List.of(0.25, 0.25), d.interval(0.95));
    assertEquals(0.0, d.pValue(), 0.0);
  }

  @Test
  void theDeltaIsTheExactDifferenceRoundedOnce() {
    PairedDelta d = new PairedDelta(0, 0);
    // 0.1 + 0.2 in doubles is 0.30000000000000004; summed exactly, 0.3 - (0.1 + 0.2) is the true
    // remainder
    d.add(1, 0.1, 0.3, 1.0);
    d.add(2, 0.2, 0.0, 1.0);
    double exact =
        new java.math.BigDecimal(0.3)
                .subtract(new java.math.BigDecimal(0.1))
                .subtract(new java.math.BigDecimal(0.2))
                .doubleValue()
            / 2;
    assertEquals(exact, d.delta(), 0.0);
  }

  @Test
  void theStandardErrorByTheFormula() {
    PairedDelta d = new PairedDelta(0, 0);
    // d = [1, -1, 2], w = [1, 1, 2]: Δ = 2/4 = 0.5; residuals 0.5, -1.5, 1; Σ r² = 3.5
    d.add(1, 0, 1, 1);
    d.add(2, 1, 0, 1);
    d.add(3, 0, 2, 2);
    double se = Math.sqrt(3.0 / 2 * 3.5 / 16);
    assertEquals(0.5, d.delta(), 0.0);
    assertEquals(se, d.standardError(), 1e-15);
    assertEquals(
        2
            * new org.apache.commons.math3.distribution.NormalDistribution()
                .cumulativeProbability(-0.5 / se),
        d.pValue(),
        1e-15);
  }

  @Test
  void onePairHasNoStandardError() {
    PairedDelta d = new PairedDelta(0, 0);
    d.add(1, 1, 2, 1);
    assertNull(d.standardError());
    assertNull(d.pValue());
    assertNull(d.interval(0.95));
    assertNull(d.bootstrap());
  }
}
