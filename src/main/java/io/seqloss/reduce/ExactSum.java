package io.seqloss.reduce;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * An exact, mergeable sum of doubles: a fixed-point superaccumulator wide enough to hold every finite
 * double without rounding. Because integer addition is associative, the value does not depend on the
 * order in which terms are added or partial sums merged, so a corpus split into any number of Spark
 * partitions, in any order, sums to the same bits. The single rounding happens in {@link #value()}.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int DIGIT_BITS = 32;
  private static final long DIGIT_MASK = 0xFFFF_FFFFL;
  // Bit 0 of the accumulator is 2^-1074 (the smallest subnormal); the largest double's top bit is 2097.
  private static final int SCALE_BITS = 1074;
  // 66 digits hold bits 0..2111; two more leave room for carries from 2^31 additions of any size.
  private static final int DIGITS = 68;
  // Each add puts less than 2^32 into a digit; normalise well before a signed long could overflow.
  private static final int ADDS_BEFORE_CARRY = 1 << 30;

  private final long[] digits = new long[DIGITS];
  private int addsSinceCarry;
  private long nanCount;
  private long posInfCount;
  private long negInfCount;

  public void add(double x) {
    if (x == 0.0) {
      return;
    }
    if (!Double.isFinite(x)) {
      if (Double.isNaN(x)) {
        nanCount++;
      } else if (x > 0) {
        posInfCount++;
      } else {
        negInfCount++;
      }
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int biasedExponent = (int) ((bits >>> 52) & 0x7FF);
    long mantissa = bits & 0x000F_FFFF_FFFF_FFFFL;
    if (biasedExponent == 0) {
      biasedExponent = 1; // subnormal: same scale as the smallest normal, no implicit bit
    } else {
      mantissa |= 1L << 52;
    }
    int position = biasedExponent - 1; // bit index of the mantissa's lowest bit
    int index = position / DIGIT_BITS;
    int offset = position % DIGIT_BITS;
    long d0 = (mantissa << offset) & DIGIT_MASK;
    long d1 = (mantissa >>> (DIGIT_BITS - offset)) & DIGIT_MASK;
    long d2 = offset == 0 ? 0 : mantissa >>> (2 * DIGIT_BITS - offset);
    if (bits < 0) {
      digits[index] -= d0;
      digits[index + 1] -= d1;
      digits[index + 2] -= d2;
    } else {
      digits[index] += d0;
      digits[index + 1] += d1;
      digits[index + 2] += d2;
    }
    if (++addsSinceCarry >= ADDS_BEFORE_CARRY) {
      carry();
    }
  }

  public void merge(ExactSum other) {
    other.carry();
    carry();
    for (int i = 0; i < DIGITS; i++) {
      digits[i] += other.digits[i];
    }
    addsSinceCarry = 1;
    nanCount += other.nanCount;
    posInfCount += other.posInfCount;
    negInfCount += other.negInfCount;
    carry();
  }

  /** The exact sum rounded once to the nearest double (NaN or infinite if such terms were added). */
  public double value() {
    if (nanCount > 0 || (posInfCount > 0 && negInfCount > 0)) {
      return Double.NaN;
    }
    if (posInfCount > 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (negInfCount > 0) {
      return Double.NEGATIVE_INFINITY;
    }
    carry();
    return toDouble(toBigInteger());
  }

  public boolean isZero() {
    carry();
    if (nanCount != 0 || posInfCount != 0 || negInfCount != 0) {
      return false;
    }
    for (long d : digits) {
      if (d != 0) {
        return false;
      }
    }
    return true;
  }

  public ExactSum copy() {
    ExactSum copy = new ExactSum();
    copy.merge(this);
    return copy;
  }

  /** Brings every digit but the top one into [0, 2^32): the canonical form of the value. */
  private void carry() {
    if (addsSinceCarry == 0) {
      return;
    }
    for (int i = 0; i < DIGITS - 1; i++) {
      long carry = digits[i] >> DIGIT_BITS;
      digits[i] &= DIGIT_MASK;
      digits[i + 1] += carry;
    }
    addsSinceCarry = 0;
  }

  private BigInteger toBigInteger() {
    BigInteger value = BigInteger.valueOf(digits[DIGITS - 1]);
    for (int i = DIGITS - 2; i >= 0; i--) {
      value = value.shiftLeft(DIGIT_BITS).add(BigInteger.valueOf(digits[i]));
    }
    return value;
  }

  /** Rounds value * 2^-1074 to the nearest double, ties to even. */
  static double toDouble(BigInteger scaled) {
    int signum = scaled.signum();
    if (signum == 0) {
      return 0.0;
    }
    BigInteger magnitude = scaled.abs();
    int bitLength = magnitude.bitLength();
    double result;
    if (bitLength <= 63) {
      result = Math.scalb((double) magnitude.longValue(), -SCALE_BITS);
    } else {
      // Keep 63 bits and fold every dropped bit into a sticky bit, so the long-to-double
      // conversion (which rounds to 53 bits) sees exactly whether the remainder was zero.
      int shift = bitLength - 63;
      long top = magnitude.shiftRight(shift).longValue();
      if (magnitude.getLowestSetBit() < shift) {
        top |= 1L;
      }
      result = Math.scalb((double) top, shift - SCALE_BITS);
    }
    return signum < 0 ? -result : result;
  }
}
