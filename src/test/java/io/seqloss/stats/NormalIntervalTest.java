package io.seqloss.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalIntervalTest {

  @Test
  void quantilesOfTheStandardNormal() {
    // tabulated two-sided z values
    assertEquals(1.959963984540054, NormalInterval.z(0.95), 1e-12);
    assertEquals(2.5758293035489, NormalInterval.z(0.99), 1e-12);
    assertEquals(1.6448536269514722, NormalInterval.z(0.90), 1e-12);
  }

  @Test
  void intervalAroundTheEstimate() {
    List<Double> ci = NormalInterval.of(2.0, 0.5, 0.95);
    assertEquals(2.0 - 0.979981992270027, ci.get(0), 1e-12);
    assertEquals(2.0 + 0.979981992270027, ci.get(1), 1e-12);
    assertNull(NormalInterval.of(2.0, null, 0.95));
  }
}
