package io.seqloss.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SameRowsTest {
  private static BenchmarkRunner.CorpusReport report(double lossSum) {
    Map<Variant, Measurement> check = new EnumMap<>(Variant.class);
    for (Variant v : Variant.values()) {
      check.put(v, new Measurement(1, 1, lossSum, 448, 64, 512, 300));
    }
    return new BenchmarkRunner.CorpusReport("", true, check);
  }

  @Test
  void equalSumsAgreeAndTheSmallestDifferenceDoesNot() {
    double sum = 2566.9847880627535;
    SameRows same =
        SameRows.check(
            Map.of("arrow", "parquet"), Map.of("arrow", report(sum), "parquet", report(sum)));
    assertTrue(same.agree());
    assertTrue(
        same.markdown().contains("arrow, seqloss scalar: loss sum 2566.9847880627535"),
        same.markdown());
    assertTrue(same.markdown().contains("equal parquet's, bit for bit"), same.markdown());

    SameRows differ =
        SameRows.check(
            Map.of("arrow", "parquet"),
            Map.of("arrow", report(Math.nextUp(sum)), "parquet", report(sum)));
    assertFalse(differ.agree());
    assertTrue(differ.markdown().contains("**differ from** parquet's"), differ.markdown());
  }

  @Test
  void aPairOfWhichOneCorpusDidNotRunIsNotCompared() {
    SameRows same = SameRows.check(Map.of("arrow", "parquet"), Map.of("arrow", report(1.0)));
    assertTrue(same.agree());
    assertTrue(same.markdown().contains("not both run"), same.markdown());
    assertTrue(SameRows.check(Map.of(), Map.of()).markdown().isEmpty());
  }
}
