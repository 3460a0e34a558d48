package io.seqloss.reduce;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;

/**
 * An exact, mergeable sum of doubles: a fixed-point superaccumulator wide enough to hold every
 * finite double without rounding. Because integer addition is associative, the value does not
 * depend on the order in which terms are added or partial sums merged, so a corpus split into any
 * number of Spark partitions, in any order, sums to the same bits. The single rounding happens in
 * {@link #value()}.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int DIGIT_BITS = 32;
  static final long DIGIT_MASK = 0xFFFF_FFFFL;
  // Bit 0 of the accumulator is 2^-1074 (the smallest subnormal); the largest double's top bit is
  // 2097.
  private static final int SCALE_BITS = 1074;
  // 1.0 (bit 1074) is bit ONE_OFFSET of digit ONE_INDEX: where integer terms are folded in.
  static final int ONE_INDEX = SCALE_BITS / DIGIT_BITS;
  static final int ONE_OFFSET = SCALE_BITS % DIGIT_BITS;
  // 66 digits hold bits 0..2111; two more leave room for carries from 2^31 additions of any size.
  static final int DIGITS = 68;
  // Each add puts less than 2^32 into a digit; normalise well before a signed long could overflow.
  private static final int ADDS_BEFORE_CARRY = 1 << 30;
  private static final long MANTISSA_BITS = 0x000F_FFFF_FFFF_FFFFL;
  private static final long IMPLICIT_BIT = 1L << 52;

  private final long[] digits = new long[DIGITS];
  private int addsSinceCarry;
  private long nanCount;
  private long posInfCount;
  private long negInfCount;
  // Weights, counts and credits are mostly small integers (a weight of 1, a sequence's 8 tokens):
  // adding them to a long is cheaper than adding their mantissas and leaves the digits untouched
  // (a group's or replicate's sums stay out of the cache); carry() folds it into the digits before
  // anything reads them. Each integer term is at most 2^31 in magnitude and counts as an add, so
  // the long stays below 2^61.
  private long integers;

  public void add(double x) {
    int i = (int) x; // NaN and anything beyond the int range fail the test below
    if (i == x) {
      integers += i;
      if (++addsSinceCarry >= ADDS_BEFORE_CARRY) {
        carry();
      }
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int biasedExponent = (int) (bits >>> 52) & 0x7FF;
    if (biasedExponent == 0x7FF) {
      addNonFinite(x);
      return;
    }
    // Branch-free: the sign of the fma rounding errors the moments add is a coin toss, which a
    // branch mispredicts half the time (8 ns an add instead of 4, one core).
    long mantissa = bits & MANTISSA_BITS;
    mantissa =
        biasedExponent == 0 ? mantissa : mantissa | IMPLICIT_BIT; // subnormals: no implicit bit
    int position = Math.max(biasedExponent, 1) - 1; // subnormals: the smallest normal's scale
    int index = position / DIGIT_BITS;
    int offset = position % DIGIT_BITS;
    long d0 = (mantissa << offset) & DIGIT_MASK;
    long d1 = (mantissa >>> (DIGIT_BITS - offset)) & DIGIT_MASK;
    long d2 = (mantissa >>> 1) >>> (2 * DIGIT_BITS - 1 - offset); // 0 when offset is 0
    long sign = bits >> 63; // 0 or -1: (d ^ sign) - sign is d or -d
    digits[index] += (d0 ^ sign) - sign;
    digits[index + 1] += (d1 ^ sign) - sign;
    digits[index + 2] += (d2 ^ sign) - sign;
    if (++addsSinceCarry >= ADDS_BEFORE_CARRY) {
      carry();
    }
  }

  /**
   * Adds the exact product a·b, not its rounded double: what {@code add(a * b)} and {@code
   * add(Math.fma(a, b, -(a * b)))} (its rounding error) add together wherever both are exact. For
   * normal factors whose product neither overflows nor has bits below 2^-1074, the 106-bit product
   * of the mantissas goes straight into the digits, one step instead of two adds (the second
   * moments of every sequence and report bin); anything else takes those two adds.
   */
  public void addProduct(double a, double b) {
    int ia = (int) a;
    int ib = (int) b;
    if (ia == a && ib == b) {
      long product = (long) ia * ib;
      if ((int) product == product) { // an int product: the integer path of add
        integers += product;
        if (++addsSinceCarry >= ADDS_BEFORE_CARRY) {
          carry();
        }
        return;
      }
    }
    long bitsA = Double.doubleToRawLongBits(a);
    long bitsB = Double.doubleToRawLongBits(b);
    int exponentA = (int) (bitsA >>> 52) & 0x7FF;
    int exponentB = (int) (bitsB >>> 52) & 0x7FF;
    // position of the product's lowest bit, in bits above 2^-1074: (ea - 1075) + (eb - 1075) + 1074
    int position = exponentA + exponentB - 1076;
    if (exponentA == 0
        || exponentB == 0
        || exponentA == 0x7FF
        || exponentB == 0x7FF
        || position < 0
        || position > MAX_PRODUCT_POSITION) {
      double product = a * b;
      add(product);
      add(Math.fma(a, b, -product)); // the rounding error of a*b, exact here or as exact as before
      return;
    }
    long mantissaA = (bitsA & MANTISSA_BITS) | IMPLICIT_BIT;
    long mantissaB = (bitsB & MANTISSA_BITS) | IMPLICIT_BIT;
    long low = mantissaA * mantissaB; // the low 64 bits of the 106-bit product
    long high = Math.multiplyHigh(mantissaA, mantissaB); // the rest, below 2^42
    int index = position / DIGIT_BITS;
    int offset = position % DIGIT_BITS;
    int back = DIGIT_BITS - offset; // 32 when offset is 0: a long shift by 32 of a digit gives 0
    long p0 = low & DIGIT_MASK;
    long p1 = low >>> DIGIT_BITS;
    long p2 = high & DIGIT_MASK;
    long p3 = high >>> DIGIT_BITS;
    long sign = (bitsA ^ bitsB) >> 63; // 0 or -1: (d ^ sign) - sign is d or -d
    digits[index] += (((p0 << offset) & DIGIT_MASK) ^ sign) - sign;
    digits[index + 1] += ((((p1 << offset) | (p0 >>> back)) & DIGIT_MASK) ^ sign) - sign;
    digits[index + 2] += ((((p2 << offset) | (p1 >>> back)) & DIGIT_MASK) ^ sign) - sign;
    digits[index + 3] += ((((p3 << offset) | (p2 >>> back)) & DIGIT_MASK) ^ sign) - sign;
    digits[index + 4] += ((p3 >>> back) ^ sign) - sign;
    if (++addsSinceCarry >= ADDS_BEFORE_CARRY) {
      carry();
    }
  }

  /**
   * The highest lowest-bit position {@link #addProduct} puts into the digits itself: the product
   * then stays below 2^(1924 + 106 - 1074) = 2^956, far from overflowing a double or the digits.
   */
  private static final int MAX_PRODUCT_POSITION = 1924;

  /**
   * A term split into its digits once, to be added many times ({@link ExactSumColumns#addEach}):
   * the bootstrap adds each sequence's two terms to every replicate, 0 or more times each.
   */
  public static final class Term {
    final double value;
    final boolean isInteger; // a small integer: added to the integer count, as add does
    final long integerValue;
    final int index;
    final long d0;
    final long d1;
    final long d2;

    public Term(double x) {
      value = x;
      isInteger = (int) x == x;
      integerValue = (int) x;
      long bits = Double.doubleToRawLongBits(x);
      int biasedExponent = (int) (bits >>> 52) & 0x7FF;
      long mantissa = bits & MANTISSA_BITS;
      mantissa = biasedExponent == 0 ? mantissa : mantissa | IMPLICIT_BIT;
      int position = Math.min(Math.max(biasedExponent, 1) - 1, 2045); // non-finite: unused
      index = position / DIGIT_BITS;
      int offset = position % DIGIT_BITS;
      long sign = bits >> 63;
      d0 = (((mantissa << offset) & DIGIT_MASK) ^ sign) - sign;
      d1 = (((mantissa >>> (DIGIT_BITS - offset)) & DIGIT_MASK) ^ sign) - sign;
      d2 = (((mantissa >>> 1) >>> (2 * DIGIT_BITS - 1 - offset)) ^ sign) - sign;
    }
  }

  /**
   * A sum from its parts: digits in any range a long allows below 2^62 (carried on first read), the
   * integer terms' total and the non-finite counts ({@link ExactSumColumns#sum}).
   */
  static ExactSum of(long[] digits, long integers, long nan, long posInf, long negInf) {
    ExactSum sum = new ExactSum();
    System.arraycopy(digits, 0, sum.digits, 0, DIGITS);
    sum.integers = integers;
    sum.nanCount = nan;
    sum.posInfCount = posInf;
    sum.negInfCount = negInf;
    sum.addsSinceCarry = 1; // normalise before anything reads the digits
    return sum;
  }

  private void addNonFinite(double x) {
    if (Double.isNaN(x)) {
      nanCount++;
    } else if (x > 0) {
      posInfCount++;
    } else {
      negInfCount++;
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

  /**
   * The exact sum rounded once to the nearest double (NaN or infinite if such terms were added).
   */
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

  /** A copy with {@code count} added exactly: terms that were counted instead of added. */
  public ExactSum plusCount(long count) {
    ExactSum sum = copy();
    sum.add((double) count); // exact: a count below 2^53
    return sum;
  }

  /**
   * Writes the exact value compactly, for shipping many sums (one per timestep): the sign, the span
   * of non-zero 32-bit digits of the magnitude (a few for sums of similar magnitudes, instead of 68
   * longs) and the NaN and infinity counts when there are any. {@link #addFrom} reads it back.
   */
  public void writeTo(DataOutput out) throws IOException {
    carry();
    boolean negative = digits[DIGITS - 1] < 0;
    long[] magnitude = negative ? negated(digits) : digits;
    int lo = 0;
    while (lo < DIGITS && magnitude[lo] == 0) {
      lo++;
    }
    int hi = DIGITS;
    while (hi > lo && magnitude[hi - 1] == 0) {
      hi--;
    }
    boolean special = nanCount != 0 || posInfCount != 0 || negInfCount != 0;
    out.writeByte((negative ? 1 : 0) | (special ? 2 : 0));
    out.writeByte(lo);
    out.writeByte(hi - lo);
    for (int i = lo; i < hi; i++) {
      if (i == DIGITS - 1) {
        out.writeLong(magnitude[i]); // the top digit is not bounded by 2^32
      } else {
        out.writeInt((int) magnitude[i]);
      }
    }
    if (special) {
      out.writeLong(nanCount);
      out.writeLong(posInfCount);
      out.writeLong(negInfCount);
    }
  }

  /** Adds, exactly, a sum written by {@link #writeTo}: the same result as merging that sum. */
  public void addFrom(DataInput in) throws IOException {
    int flags = in.readUnsignedByte();
    int lo = in.readUnsignedByte();
    int count = in.readUnsignedByte();
    long sign = (flags & 1) != 0 ? -1 : 1;
    carry();
    for (int i = lo; i < lo + count; i++) {
      long digit = i == DIGITS - 1 ? in.readLong() : in.readInt() & DIGIT_MASK;
      digits[i] += sign * digit;
    }
    addsSinceCarry = 1;
    carry();
    if ((flags & 2) != 0) {
      nanCount += in.readLong();
      posInfCount += in.readLong();
      negInfCount += in.readLong();
    }
  }

  /**
   * The exact sum times 2^1074 (so an integer), or null when NaN or infinite terms were added.
   * Exact formulas over several sums (the delta-method variance) combine these without rounding.
   */
  public BigInteger scaledValue() {
    if (nanCount > 0 || posInfCount > 0 || negInfCount > 0) {
      return null;
    }
    carry();
    return toBigInteger();
  }

  /**
   * Folds the integer terms in, then brings every digit but the top one into [0, 2^32): the
   * canonical form of the value.
   */
  private void carry() {
    if (integers != 0) {
      addInteger(integers);
      integers = 0;
    }
    if (addsSinceCarry == 0) {
      return;
    }
    normalise(digits);
    addsSinceCarry = 0;
  }

  /** Adds the integer v (|v| < 2^63) to the digits: 1.0 is bit 1074. */
  private void addInteger(long v) {
    addInteger(v, digits, ONE_INDEX, 1);
    addsSinceCarry++;
  }

  /**
   * Adds the integer v (|v| < 2^63) to a sum whose digit i is {@code digits[from + i·stride]},
   * {@code from} pointing at digit {@link #ONE_INDEX}: also {@link ExactSumColumns}' layout.
   */
  static void addInteger(long v, long[] digits, int from, int stride) {
    int offset = ONE_OFFSET;
    long sign = v >> 63; // 0 or -1: (d ^ sign) - sign is d or -d
    long m = (v ^ sign) - sign;
    digits[from] += (((m << offset) & DIGIT_MASK) ^ sign) - sign;
    digits[from + stride] += (((m >>> (DIGIT_BITS - offset)) & DIGIT_MASK) ^ sign) - sign;
    digits[from + 2 * stride] += (((m >>> 1) >>> (2 * DIGIT_BITS - 1 - offset)) ^ sign) - sign;
  }

  private static void normalise(long[] digits) {
    for (int i = 0; i < DIGITS - 1; i++) {
      long carry = digits[i] >> DIGIT_BITS;
      digits[i] &= DIGIT_MASK;
      digits[i + 1] += carry;
    }
  }

  /** The canonical digits of minus a canonical value. */
  private static long[] negated(long[] digits) {
    long[] negated = new long[DIGITS];
    for (int i = 0; i < DIGITS; i++) {
      negated[i] = -digits[i];
    }
    normalise(negated);
    return negated;
  }

  /** Σ digits[i] · 2^(32 i), over the span of non-zero digits only (a few for most sums, of 68). */
  private BigInteger toBigInteger() {
    int hi = DIGITS - 1;
    while (hi > 0 && digits[hi] == 0) {
      hi--;
    }
    int lo = 0;
    while (lo < hi && digits[lo] == 0) {
      lo++;
    }
    BigInteger value = BigInteger.valueOf(digits[hi]);
    for (int i = hi - 1; i >= lo; i--) {
      value = value.shiftLeft(DIGIT_BITS).add(BigInteger.valueOf(digits[i]));
    }
    return value.shiftLeft(DIGIT_BITS * lo);
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
