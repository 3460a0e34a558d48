package io.seqloss.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each column sum must be the exact Σ times·term, checked against BigDecimal: every kind of term
 * (any finite double, ±0, 1, integers at the int range's edges), counts up to the largest allowed,
 * enough calls to cross several carries, and merges of partial sets.
 */
class ExactSumColumnsTest {
  private static final int SUMS = 7;
  private static final BigDecimal TWO_TO_1074 = new BigDecimal(BigInteger.TWO.pow(1074));

  private static double term(Random random, int i) {
    return switch (i % 6) {
      case 0 -> 1.0;
      case 1 -> random.nextBoolean() ? 0.0 : -0.0;
      case 2 -> (random.nextBoolean() ? -1 : 1) * (0x1p31 - random.nextInt(3));
      case 3 -> random.nextInt(50) - 25;
      default -> ExactSumReferenceTest.anyFinite(random);
    };
  }

  private static long times(Random random) {
    int kind = random.nextInt(50);
    return kind == 0 ? ExactSumColumns.MAX_TIMES : kind == 1 ? 0 : random.nextInt(24);
  }

  @Test
  void everySumIsTheExactCountWeightedSumOfItsTerms() {
    Random random = new Random(23);
    BigDecimal[] exact = new BigDecimal[SUMS];
    java.util.Arrays.fill(exact, BigDecimal.ZERO);
    ExactSumColumns whole = new ExactSumColumns(SUMS);
    ExactSumColumns first = new ExactSumColumns(SUMS);
    ExactSumColumns second = new ExactSumColumns(SUMS);
    int calls = 5000; // several carries (one every 1,024 calls)
    for (int i = 0; i < calls; i++) {
      double x = term(random, i);
      long[] times = new long[SUMS];
      for (int s = 0; s < SUMS; s++) {
        times[s] = times(random);
        exact[s] = exact[s].add(new BigDecimal(x).multiply(BigDecimal.valueOf(times[s])));
      }
      ExactSum.Term term = new ExactSum.Term(x);
      whole.addEach(term, times);
      (i % 3 == 0 ? first : second).addEach(term, times);
    }
    first.merge(second);
    for (int s = 0; s < SUMS; s++) {
      BigInteger expected = exact[s].multiply(TWO_TO_1074).toBigIntegerExact();
      assertEquals(expected, whole.sum(s).scaledValue(), "sum " + s);
      assertEquals(expected, first.sum(s).scaledValue(), "merged sum " + s);
      assertEquals(exact[s].doubleValue(), whole.sum(s).value(), 0.0, "sum " + s + " rounded");
    }
  }

  @Test
  void nonFiniteTermsAreCountedPerSum() {
    ExactSumColumns sums = new ExactSumColumns(3);
    sums.addEach(new ExactSum.Term(Double.POSITIVE_INFINITY), new long[] {2, 0, 1});
    sums.addEach(new ExactSum.Term(Double.NEGATIVE_INFINITY), new long[] {0, 1, 1});
    sums.addEach(new ExactSum.Term(Double.NaN), new long[] {0, 0, 0});
    sums.addEach(new ExactSum.Term(2.5), new long[] {1, 1, 1});
    assertEquals(Double.POSITIVE_INFINITY, sums.sum(0).value());
    assertEquals(Double.NEGATIVE_INFINITY, sums.sum(1).value());
    assertTrue(Double.isNaN(sums.sum(2).value()), "+∞ and −∞ together");
    sums.addEach(new ExactSum.Term(Double.NaN), new long[] {1, 0, 0});
    assertTrue(Double.isNaN(sums.sum(0).value()));
  }

  @Test
  void setsOfDifferentSizesDoNotMerge() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExactSumColumns(3).merge(new ExactSumColumns(4)));
    assertEquals("cannot merge 4 exact sums into 3 exact sums", e.getMessage());
  }
}
