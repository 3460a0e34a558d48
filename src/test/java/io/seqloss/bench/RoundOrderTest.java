package io.seqloss.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundOrderTest {
  @Test
  void eachRoundStartsOneVariantFurtherOn() {
    BenchmarkRunner runner =
        new BenchmarkRunner(
            Path.of("/tmp"),
            3,
            "1g",
            EnumSet.of(Variant.SCAN, Variant.SEQLOSS_SCALAR, Variant.SEQLOSS_GROUP_BY),
            System.out);
    assertEquals(
        List.of(Variant.SCAN, Variant.SEQLOSS_SCALAR, Variant.SEQLOSS_GROUP_BY),
        runner.roundOrder(1));
    assertEquals(
        List.of(Variant.SEQLOSS_SCALAR, Variant.SEQLOSS_GROUP_BY, Variant.SCAN),
        runner.roundOrder(2));
    assertEquals(
        List.of(Variant.SEQLOSS_GROUP_BY, Variant.SCAN, Variant.SEQLOSS_SCALAR),
        runner.roundOrder(3));
    assertEquals(runner.roundOrder(1), runner.roundOrder(4));
  }
}
