package io.seqloss.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Axis ticks for the ranges real reports produce, including degenerate ones. */
class SvgScaleTest {

  @Test
  void roundTicksOfAnOrdinaryRange() {
    assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0), Svg.Scale.of(0, 2).ticks(4));
  }

  /**
   * Groups whose losses differ by an ulp once made ticks too small to move a double: an endless
   * loop.
   */
  @Test
  @Timeout(5)
  void aRangeAFewUlpsWideStillGetsAFewTicks() {
    List<Double> ticks = Svg.Scale.of(0.7129652918784086, Math.nextUp(0.7129652918784086)).ticks(8);
    assertTrue(!ticks.isEmpty() && ticks.size() <= 32, ticks.toString());
    List<Double> equal = Svg.Scale.of(2.5, 2.5).ticks(8);
    assertTrue(!equal.isEmpty() && equal.size() <= 32, equal.toString());
  }
}
