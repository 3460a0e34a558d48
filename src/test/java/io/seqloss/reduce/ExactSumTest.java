package io.seqloss.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  private static double exactReference(List<Double> xs) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double x : xs) {
      sum = sum.add(new BigDecimal(x));
    }
    return sum.doubleValue();
  }

  @Test
  void cancellationThatNaiveSummationLoses() {
    ExactSum s = new ExactSum();
    s.add(1e100);
    s.add(1.0);
    s.add(-1e100);
    assertEquals(1.0, s.value(), 0.0);
    assertEquals(0.0, 1e100 + 1.0 - 1e100, 0.0); // what plain double addition gives
  }

  @Test
  void matchesBigDecimalAndIgnoresOrderAndGrouping() {
    Random random = new Random(42);
    List<Double> xs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      double magnitude = Math.pow(10, random.nextInt(40) - 20);
      xs.add((random.nextDouble() - 0.5) * magnitude);
    }
    xs.add(Double.MIN_VALUE);
    xs.add(-Double.MAX_VALUE / 4);
    xs.add(Double.MAX_VALUE / 4);
    double expected = exactReference(xs);

    ExactSum sequential = new ExactSum();
    xs.forEach(sequential::add);
    assertEquals(expected, sequential.value(), 0.0);

    for (int parts : new int[] {3, 17}) {
      Collections.shuffle(xs, random);
      ExactSum merged = new ExactSum();
      int per = xs.size() / parts + 1;
      for (int p = parts - 1; p >= 0; p--) {
        ExactSum part = new ExactSum();
        for (int i = p * per; i < Math.min(xs.size(), (p + 1) * per); i++) {
          part.add(xs.get(i));
        }
        merged.merge(part);
      }
      assertEquals(
          Double.doubleToLongBits(sequential.value()), Double.doubleToLongBits(merged.value()));
    }
  }

  @Test
  void subnormalsAndHalfwayRounding() {
    ExactSum s = new ExactSum();
    s.add(Double.MIN_VALUE);
    s.add(Double.MIN_VALUE);
    assertEquals(2 * Double.MIN_VALUE, s.value(), 0.0);

    // 1 + 2^-53 is exactly halfway between 1 and the next double: ties to even gives 1.
    ExactSum tie = new ExactSum();
    tie.add(1.0);
    tie.add(Math.scalb(1.0, -53));
    assertEquals(1.0, tie.value(), 0.0);
    tie.add(Math.scalb(1.0, -80)); // a hair above halfway rounds up
    assertEquals(Math.nextUp(1.0), tie.value(), 0.0);
  }

  @Test
  void manyAdditionsCarryCorrectly() {
    ExactSum s = new ExactSum();
    for (int i = 0; i < 3_000_000; i++) {
      s.add(0.1);
    }
    List<Double> same = Collections.nCopies(3_000_000, 0.1);
    assertEquals(exactReference(same), s.value(), 0.0);
  }

  @Test
  void emptyAndNonFinite() {
    ExactSum s = new ExactSum();
    assertTrue(s.isZero());
    assertEquals(0.0, s.value(), 0.0);
    s.add(Double.POSITIVE_INFINITY);
    assertEquals(Double.POSITIVE_INFINITY, s.value(), 0.0);
    s.add(Double.NEGATIVE_INFINITY);
    assertTrue(Double.isNaN(s.value()));
  }

  private static byte[] written(ExactSum s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      s.writeTo(out);
    }
    return bytes.toByteArray();
  }

  @Test
  void writtenSumsAddUpExactly() throws IOException {
    Random random = new Random(7);
    List<Double> xs = new ArrayList<>();
    ExactSum total = new ExactSum();
    for (int part = 0; part < 40; part++) {
      ExactSum share = new ExactSum();
      for (int i = 0; i < 200; i++) {
        double x =
            (random.nextDouble() - 0.6)
                * Math.pow(2, random.nextInt(2000) - 1000); // mostly negative
        xs.add(x);
        share.add(x);
      }
      total.addFrom(new DataInputStream(new ByteArrayInputStream(written(share))));
    }
    assertEquals(exactReference(xs), total.value(), 0.0);
  }

  @Test
  void aWrittenSumKeepsOnlyItsNonZeroDigits() throws IOException {
    ExactSum one = new ExactSum();
    one.add(1.0);
    assertEquals(3 + 4, written(one).length, "flags, span, one 32-bit digit");
    ExactSum minusOne = new ExactSum();
    minusOne.add(-1.0);
    assertEquals(
        3 + 4, written(minusOne).length, "a negative sum is written as sign and magnitude");
    ExactSum back = new ExactSum();
    back.addFrom(new DataInputStream(new ByteArrayInputStream(written(minusOne))));
    assertEquals(-1.0, back.value(), 0.0);
    ExactSum empty = new ExactSum();
    assertEquals(3, written(empty).length);
    ExactSum nan = new ExactSum();
    nan.add(Double.NaN);
    nan.add(Double.POSITIVE_INFINITY);
    ExactSum special = new ExactSum();
    special.addFrom(new DataInputStream(new ByteArrayInputStream(written(nan))));
    assertTrue(Double.isNaN(special.value()));
  }
}
