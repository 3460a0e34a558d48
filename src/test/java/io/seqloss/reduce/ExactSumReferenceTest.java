package io.seqloss.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ExactSum adds signed mantissas without branching on the sign and adds small integer terms (ones
 * among them) to a long apart. These tests check the exact value (not only its rounding) against
 * BigDecimal sums of the same doubles: every exponent, both signs, subnormals, cancellation, ones
 * and other integers, merges in random trees and both encodings.
 */
class ExactSumReferenceTest {

  /** Σ xs exactly, times 2^1074: the integer {@link ExactSum#scaledValue()} must equal. */
  static BigInteger reference(List<Double> xs) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double x : xs) {
      sum = sum.add(new BigDecimal(x));
    }
    return sum.multiply(new BigDecimal(BigInteger.TWO.pow(1074))).toBigIntegerExact();
  }

  /** Any finite double: random sign, biased exponent 0..2046 (0: subnormal) and mantissa. */
  static double anyFinite(Random random) {
    long exponent = random.nextInt(2047);
    long mantissa = random.nextLong() & 0x000F_FFFF_FFFF_FFFFL;
    long sign = random.nextBoolean() ? 1L << 63 : 0;
    return Double.longBitsToDouble(sign | exponent << 52 | mantissa);
  }

  private static ExactSum sumOf(List<Double> xs, int from, int to) {
    ExactSum s = new ExactSum();
    for (int i = from; i < to; i++) {
      s.add(xs.get(i));
    }
    return s;
  }

  private static void assertExact(List<Double> xs, ExactSum s) {
    BigInteger expected = reference(xs);
    assertEquals(expected, s.scaledValue());
    double rounded =
        new BigDecimal(expected).divide(new BigDecimal(BigInteger.TWO.pow(1074))).doubleValue();
    assertEquals(Double.doubleToLongBits(rounded), Double.doubleToLongBits(s.value()));
  }

  @Test
  void termsOfEveryExponentAndSignAcrossManyBatches() {
    Random random = new Random(20261201);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      xs.add(anyFinite(random));
    }
    assertExact(xs, sumOf(xs, 0, xs.size()));
  }

  @Test
  void subnormalsAndTheSmallestNormalsShareAScale() {
    Random random = new Random(7);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      long mantissa = random.nextLong() & 0x000F_FFFF_FFFF_FFFFL;
      long exponent = random.nextInt(3); // subnormal, 2^-1022, 2^-1021
      xs.add((random.nextBoolean() ? 1 : -1) * Double.longBitsToDouble(exponent << 52 | mantissa));
    }
    xs.add(Double.MIN_VALUE);
    xs.add(-Double.MIN_NORMAL);
    assertExact(xs, sumOf(xs, 0, xs.size()));
  }

  @Test
  void theLargestMantissasOfBothSigns() {
    // 2 − 2^-52 and MAX_VALUE have all 53 mantissa bits set.
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      xs.add(Math.nextDown(2.0));
      xs.add(Double.MAX_VALUE);
    }
    assertExact(xs, sumOf(xs, 0, xs.size()));
    List<Double> negative = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      negative.add(-Math.nextDown(2.0));
      negative.add(-Double.MAX_VALUE);
    }
    assertExact(negative, sumOf(negative, 0, negative.size()));
  }

  @Test
  void cancellationAcrossExponentsAndSignedZeros() {
    // Terms 2^128 apart; the big ones cancel, leaving the small ones.
    Random random = new Random(3);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      double big = Math.scalb(1 + random.nextDouble(), 128 * (1 + random.nextInt(3)));
      xs.add(big);
      xs.add(Math.scalb(1 + random.nextDouble(), -128 * random.nextInt(4)));
      xs.add(-big);
      xs.add(0.0);
      xs.add(-0.0);
    }
    assertExact(xs, sumOf(xs, 0, xs.size()));
    ExactSum cancelled = new ExactSum();
    cancelled.add(1e300);
    cancelled.add(Math.scalb(1.0, -1000));
    cancelled.add(-1e300);
    assertEquals(Math.scalb(1.0, -1000), cancelled.value(), 0.0);
  }

  @Test
  void nanAndInfinityAreCounted() {
    ExactSum s = new ExactSum();
    for (int i = 0; i < 3_000; i++) {
      s.add(1.5);
    }
    s.add(Double.POSITIVE_INFINITY);
    assertEquals(Double.POSITIVE_INFINITY, s.value(), 0.0);
    assertNull(s.scaledValue());
    s.add(Double.NEGATIVE_INFINITY);
    assertEquals(Double.NaN, s.value(), 0.0); // +inf + −inf
    ExactSum nan = new ExactSum();
    nan.add(2.0);
    nan.add(Double.NaN);
    assertEquals(Double.NaN, nan.value(), 0.0);
    ExactSum negative = new ExactSum();
    negative.add(Double.NEGATIVE_INFINITY);
    negative.add(-Double.MAX_VALUE);
    assertEquals(Double.NEGATIVE_INFINITY, negative.value(), 0.0);
  }

  @Test
  void onesAreCountedExactlyAmongOtherTerms() {
    Random random = new Random(13);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int kind = random.nextInt(4);
      xs.add(kind == 0 ? 1.0 : kind == 1 ? -1.0 : kind == 2 ? Math.nextUp(1.0) : anyFinite(random));
    }
    assertExact(xs, sumOf(xs, 0, xs.size()));
    ExactSum ones = new ExactSum();
    for (int i = 0; i < 3; i++) {
      ones.add(1.0);
    }
    ones.add(Math.scalb(1.0, -60));
    assertEquals(3.0, ones.value(), 0.0);
    assertEquals(
        BigInteger.valueOf(3).shiftLeft(1074).add(BigInteger.ONE.shiftLeft(1014)),
        ones.scaledValue());
    ExactSum cancelled = new ExactSum();
    cancelled.add(1.0);
    cancelled.add(-1.0);
    assertEquals(true, cancelled.isZero());
  }

  @Test
  void randomMergeTreesWithPendingOnesAndBothEncodings() throws Exception {
    Random random = new Random(11);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      // Mostly loss-like magnitudes and token weights of 1, some of every exponent.
      int kind = random.nextInt(8);
      xs.add(kind == 0 ? anyFinite(random) : kind < 3 ? 1.0 : random.nextGaussian() * 3);
    }
    BigInteger expected = reference(xs);
    for (int trial = 0; trial < 5; trial++) {
      // Cut at random points and merge the parts in a random tree, some of them first through Java
      // serialisation (with their ones not yet folded in) or writeTo/addFrom.
      List<ExactSum> parts = new ArrayList<>();
      int from = 0;
      while (from < xs.size()) {
        int to = Math.min(xs.size(), from + 1 + random.nextInt(3_000));
        ExactSum part = sumOf(xs, from, to);
        int encoding = random.nextInt(3);
        parts.add(encoding == 0 ? part : encoding == 1 ? javaRoundTrip(part) : dataRoundTrip(part));
        from = to;
      }
      while (parts.size() > 1) {
        ExactSum a = parts.remove(random.nextInt(parts.size()));
        ExactSum b = parts.remove(random.nextInt(parts.size()));
        a.merge(b);
        parts.add(a);
      }
      assertEquals(expected, parts.get(0).scaledValue(), "trial " + trial);
    }
  }

  @Test
  void aDeserialisedSumKeepsAdding() throws Exception {
    List<Double> xs = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 2_500; i++) {
      xs.add(random.nextBoolean() ? 1.0 : random.nextGaussian());
    }
    ExactSum s = javaRoundTrip(sumOf(xs, 0, 700)); // about 350 ones counted, not yet folded in
    for (int i = 700; i < xs.size(); i++) {
      s.add(xs.get(i));
    }
    assertExact(xs, s);
  }

  private static ExactSum javaRoundTrip(ExactSum s) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ExactSum) in.readObject();
    }
  }

  private static ExactSum dataRoundTrip(ExactSum s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    s.writeTo(new DataOutputStream(bytes));
    ExactSum copy = new ExactSum();
    copy.addFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    return copy;
  }

  /**
   * Products of factors whose exponents put the product anywhere from below 2^-1074 to above the
   * largest double, with the occasional 0, 1, subnormal, infinity and NaN.
   */
  private static double factor(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> 0.0;
      case 1 -> random.nextBoolean() ? 1.0 : -1.0;
      case 2 -> Double.MIN_VALUE * (1 + random.nextInt(1000));
      case 3 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NaN;
      case 4, 5, 6 -> (random.nextDouble() - 0.5) * 8; // losses and weights
      default -> anyFinite(random);
    };
  }

  /** A normal double of either sign between 2^-500 and 2^500, or a loss-like value. */
  private static double tame(Random random) {
    if (random.nextBoolean()) {
      return (random.nextDouble() - 0.5) * 8;
    }
    long exponent = 523 + random.nextInt(1001);
    long mantissa = random.nextLong() & 0x000F_FFFF_FFFF_FFFFL;
    long sign = random.nextBoolean() ? 1L << 63 : 0;
    return Double.longBitsToDouble(sign | exponent << 52 | mantissa);
  }

  @Test
  void aProductAddedExactlyIsTheExactProduct() {
    Random random = new Random(11);
    int checkedExactly = 0;
    for (int round = 0; round < 300; round++) {
      ExactSum products = new ExactSum();
      ExactSum twoAdds = new ExactSum(); // the rounded product and its fma error, as before
      BigDecimal exact = BigDecimal.ZERO;
      boolean exactKnown = true;
      for (int i = 0; i < 40; i++) {
        boolean tame = round % 2 == 0; // factors whose products all lie in [2^-1074, 2^1024)
        double a = tame ? tame(random) : factor(random);
        double b = round % 3 == 0 ? a : tame ? tame(random) : factor(random); // squares too
        products.addProduct(a, b);
        double p = a * b;
        twoAdds.add(p);
        twoAdds.add(Math.fma(a, b, -p));
        if (Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(p)) {
          exact = exact.add(new BigDecimal(a).multiply(new BigDecimal(b)));
        } else {
          exactKnown = false;
        }
      }
      assertEquals(
          Double.doubleToRawLongBits(twoAdds.value()),
          Double.doubleToRawLongBits(products.value()),
          "round " + round);
      assertEquals(twoAdds.scaledValue(), products.scaledValue(), "round " + round);
      BigInteger scaled = products.scaledValue();
      BigDecimal twoTo1074 = new BigDecimal(BigInteger.TWO.pow(1074));
      if (exactKnown && exact.multiply(twoTo1074).stripTrailingZeros().scale() <= 0) {
        // every product's bits at or above 2^-1074: the sum is the exact sum of the products
        assertEquals(exact.multiply(twoTo1074).toBigIntegerExact(), scaled, "round " + round);
        checkedExactly++;
      }
    }
    assertTrue(checkedExactly > 20, "rounds checked against BigDecimal: " + checkedExactly);
  }

  /** An integer-valued double near the int range's edges, or any small one, of either sign. */
  private static double integral(Random random) {
    int kind = random.nextInt(5);
    double v =
        kind == 0
            ? 0x1p31 - random.nextInt(3) // 2^31 itself is beyond the int range: the digits path
            : kind == 1 ? 0x1p31 + random.nextInt(3) : kind == 2 ? random.nextInt(60_000) : 8.0;
    return random.nextBoolean() ? -v : v;
  }

  @Test
  void integerTermsAndProductsAreExactAmongOtherTerms() throws Exception {
    Random random = new Random(17);
    List<Double> xs = new ArrayList<>();
    ExactSum sum = new ExactSum();
    ExactSum products = new ExactSum();
    ExactSumColumns terms = new ExactSumColumns(1);
    BigDecimal exactProducts = BigDecimal.ZERO;
    BigDecimal exactTerms = BigDecimal.ZERO;
    for (int i = 0; i < 20_000; i++) {
      double x = random.nextInt(3) == 0 ? anyFinite(random) : integral(random);
      xs.add(x);
      sum.add(x);
      double a = integral(random);
      double b = random.nextBoolean() ? a : integral(random); // int and long products, squares
      products.addProduct(a, b);
      exactProducts = exactProducts.add(new BigDecimal(a).multiply(new BigDecimal(b)));
      int times = random.nextInt(24);
      terms.addEach(new ExactSum.Term(a), new long[] {times});
      exactTerms = exactTerms.add(new BigDecimal(a).multiply(BigDecimal.valueOf(times)));
    }
    assertExact(xs, sum);
    BigDecimal twoTo1074 = new BigDecimal(BigInteger.TWO.pow(1074));
    assertEquals(exactProducts.multiply(twoTo1074).toBigIntegerExact(), products.scaledValue());
    assertEquals(exactTerms.multiply(twoTo1074).toBigIntegerExact(), terms.sum(0).scaledValue());
    // The canonical digits are the same as when every integer takes the digits path: v is
    // (v - 0.5) + 0.5 there, both halves non-integer.
    ExactSum split = new ExactSum();
    for (double x : xs) {
      if ((int) x == x) {
        split.add(x - 0.5);
        split.add(0.5);
      } else {
        split.add(x);
      }
    }
    assertArrayEquals(bytes(split), bytes(sum));
  }

  private static byte[] bytes(ExactSum s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      s.writeTo(data);
    }
    return out.toByteArray();
  }
}
