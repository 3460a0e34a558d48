package io.seqloss.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The targets table of a corpus, from hand-made timings, and the choice of variants (VARIANTS). */
class TargetRatiosTest {
  /** Runs of the given in-job seconds (process time: 5 s more). */
  private static List<Measurement> runs(double... inJob) {
    return java.util.Arrays.stream(inJob)
        .mapToObj(s -> new Measurement(s + 5, s, 100, 10, 4, 40, 2))
        .toList();
  }

  private static String row(String table, String start) {
    return table
        .lines()
        .filter(l -> l.startsWith("| " + start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + start + " in\n" + table));
  }

  @Test
  void ratiosOfMediansPairedRoundsAndTheTargetOfTheShape() {
    Map<Variant, List<Measurement>> timed = new EnumMap<>(Variant.class);
    timed.put(Variant.SCAN, runs(2.0, 2.2, 2.1)); // median 2.1
    timed.put(Variant.SEQLOSS_SCALAR, runs(4.0, 3.0, 5.0)); // median 4.0
    timed.put(Variant.SEQLOSS_GROUP_BY, runs(4.4, 3.3, 6.0)); // median 4.4: 1.1, at the target
    timed.put(Variant.SEQLOSS_NO_REPORT, runs(3.0, 3.0, 3.0)); // scalar 4.0 / 3.0
    timed.put(Variant.SEQLOSS_PER_SEQUENCE, runs(5.0, 5.0, 5.0)); // 1.25

    String wide = TargetRatios.markdown("wide-uncompressed", timed);
    // 4.4 / 4.0 = 1.1; rounds 4.4/4.0, 3.3/3.0, 6.0/5.0; process (9.4) / (9.0)
    assertEquals(
        "| --group-by domain (100 groups, standard errors) / scalar | 1.100 | [1.100, 1.100, 1.200] "
            + "| 1.044 | ≤ 1.10 (issue 13) | yes |",
        row(wide, "--group-by"));
    assertEquals(
        "| --bootstrap 100 / scalar | not run | | | ≤ 1.30 (issue 13) | |",
        row(wide, "--bootstrap"));
    assertTrue(row(wide, "report cost").contains("| 1.333 |"), wide);
    assertTrue(row(wide, "report cost").endsWith("| ≤ 1.03 (issue 17, on wide) | **no** |"), wide);
    assertTrue(
        row(wide, "per-sequence")
            .endsWith("| 1.250 | [1.250, 1.667, 1.000] | 1.111 | ≤ 1.15 (issue 15) | **no** |"),
        wide);
    assertTrue(row(wide, "scalar / scan floor").contains("| 1.905 |"), wide); // 4.0 / 2.1
    assertTrue(row(wide, "fast paths off").contains("| not run |"), wide);

    String narrow = TargetRatios.markdown("narrow-uncompressed", timed);
    assertTrue(row(narrow, "per-sequence").endsWith("| ≤ 1.30 (issue 15) | yes |"), narrow);
    assertTrue(
        row(narrow, "report cost").endsWith("| — (issue 17 sets it on wide only) | — |"), narrow);
  }

  @Test
  void variantsAreChosenByNameAndScalarAlwaysRuns() {
    assertEquals(
        EnumSet.of(Variant.SCAN, Variant.SEQLOSS_SCALAR, Variant.SEQLOSS_GROUP_BY, Variant.SQL),
        Variant.parse("sql, group-by,scan"));
    assertEquals(EnumSet.of(Variant.SEQLOSS_SCALAR), Variant.parse(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Variant.parse("scan,groupby"));
    assertTrue(e.getMessage().contains("unknown variant 'groupby'"), e.getMessage());
    assertTrue(e.getMessage().contains("group-by"), e.getMessage());
    assertEquals(
        List.of("--input", "c", "--output", "o", "--bootstrap", "100", "--format", "parquet"),
        Variant.SEQLOSS_BOOTSTRAP.arguments(
            "c", io.seqloss.config.InputFormat.PARQUET, "o", "bench.jar"));
  }
}
