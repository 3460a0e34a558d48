package io.seqloss.stats;

import io.seqloss.reduce.ExactSum;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The sums a ratio estimator L = Σx_i / Σw_i over sequences i needs for its delta-method standard
 * error: n, Σx, Σw, Σx², Σxw, Σw², all exact. Each product is added exactly ({@link
 * ExactSum#addProduct}), so even the second moments are exact sums of the data's doubles, and the
 * variance formula can be evaluated without cancellation (see {@link #standardError()}).
 */
public final class RatioMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int SCALE_BITS = 1074; // ExactSum's integers are the sums times 2^1074
  private static final MathContext DIGITS = new MathContext(40);

  private long n;
  // Σx and Σxw share their weight-1 terms (x·1 is x): those are added once, to xOfWeightOne, and
  // counted in both sums when they are read. One exact add a token fewer in the report's
  // statistics.
  private final ExactSum xOfWeightOne = new ExactSum();
  private final ExactSum x = new ExactSum();
  private final ExactSum w = new ExactSum();
  private final ExactSum xx = new ExactSum();
  private final ExactSum xw = new ExactSum();
  private final ExactSum ww = new ExactSum();
  // Tokens of weight 1 add 1 to both Σw and Σw²: counted here once instead of two exact adds a
  // token, and added to both sums when they are read (sumW, sumWW).
  private long weightOnes;

  /**
   * Adds one sequence: its weighted loss sum x and its denominator share w (weight sum or count).
   */
  public void add(double xi, double wi) {
    n++;
    if (wi == 1.0 && Double.isFinite(xi)) {
      // The usual token weight: x·1 is x and 1·1 is 1, so only x² is a real product; x goes to
      // xOfWeightOne for both Σx and Σxw, the 1 to weightOnes for both Σw and Σw². The same sums
      // as the general path.
      xOfWeightOne.add(xi);
      weightOnes++;
      xx.addProduct(xi, xi);
      return;
    }
    if (wi == 0.0 && xi == 0.0) {
      return; // padding: every term and product is ±0, which adds nothing
    }
    x.add(xi);
    w.add(wi);
    xx.addProduct(xi, xi);
    xw.addProduct(xi, wi);
    ww.addProduct(wi, wi);
  }

  public void merge(RatioMoments other) {
    n += other.n;
    xOfWeightOne.merge(other.xOfWeightOne);
    x.merge(other.x);
    w.merge(other.w);
    xx.merge(other.xx);
    xw.merge(other.xw);
    ww.merge(other.ww);
    weightOnes += other.weightOnes;
  }

  public long count() {
    return n;
  }

  /** Σx, rounded once. */
  public double numerator() {
    return sumX().value();
  }

  /** Σx exactly, as a new sum: the loss sum of every sequence added. */
  public ExactSum exactNumerator() {
    return sumX();
  }

  /** Σx exactly: the terms of weight 1 and the others. */
  private ExactSum sumX() {
    ExactSum sum = x.copy();
    sum.merge(xOfWeightOne);
    return sum;
  }

  /** Σxw exactly: the terms of weight 1 (x·1 = x) and the others. */
  private ExactSum sumXW() {
    ExactSum sum = xw.copy();
    sum.merge(xOfWeightOne);
    return sum;
  }

  /** Σw exactly: the weights other than 1 and the count of those that are 1. */
  private ExactSum sumW() {
    return w.plusCount(weightOnes);
  }

  /** Σw² exactly: as {@link #sumW}, since 1² is 1. */
  private ExactSum sumWW() {
    return ww.plusCount(weightOnes);
  }

  /** Σw, rounded once. */
  public double denominator() {
    return sumW().value();
  }

  /** Σx / Σw, each sum rounded once; 0 when Σw is 0 (TensorFlow's guard). */
  public double ratio() {
    double denominator = sumW().value();
    return denominator == 0.0 ? 0.0 : sumX().value() / denominator;
  }

  /**
   * The delta-method (linearisation, cluster-robust) standard error of the ratio, with the sequence
   * as the sampling unit:
   *
   * <pre>
   *   Var(L) = n/(n-1) · Σ_i (x_i − L·w_i)² / (Σ_i w_i)²
   *          = n/(n-1) · (Σx²·(Σw)² − 2·Σx·Σxw·Σw + (Σx)²·Σw²) / (Σw)⁴
   * </pre>
   *
   * The second form needs only the five sums; it is evaluated in exact integer arithmetic on the
   * sums' fixed-point values, so it loses nothing to cancellation, and it is rounded once. Null
   * when there are fewer than two sequences, the denominator is zero or a sum is not finite.
   */
  public Double standardError() {
    BigInteger a = sumX().scaledValue();
    BigInteger b = sumW().scaledValue();
    BigInteger c = xx.scaledValue();
    BigInteger d = sumXW().scaledValue();
    BigInteger e = sumWW().scaledValue();
    if (n < 2 || a == null || b == null || c == null || d == null || e == null || b.signum() == 0) {
      return null;
    }
    // Every sum is divisible by 2^k: dividing first keeps the products small (exact, same ratio).
    int k =
        Math.min(
            Math.min(lowestBit(a), lowestBit(b)),
            Math.min(lowestBit(c), Math.min(lowestBit(d), lowestBit(e))));
    a = a.shiftRight(k);
    b = b.shiftRight(k);
    c = c.shiftRight(k);
    d = d.shiftRight(k);
    e = e.shiftRight(k);
    BigInteger b2 = b.multiply(b);
    BigInteger numerator =
        c.multiply(b2)
            .subtract(BigInteger.TWO.multiply(a).multiply(d).multiply(b))
            .add(a.multiply(a).multiply(e));
    if (numerator.signum() <= 0) {
      return 0.0;
    }
    // The sums are integers times 2^-(1074-k): the numerator has three factors, the denominator
    // four.
    int exponent = SCALE_BITS - k;
    numerator = numerator.multiply(BigInteger.valueOf(n));
    BigInteger denominator = b2.multiply(b2).multiply(BigInteger.valueOf(n - 1));
    if (exponent >= 0) {
      numerator = numerator.shiftLeft(exponent);
    } else {
      denominator = denominator.shiftLeft(-exponent);
    }
    double variance =
        new BigDecimal(numerator).divide(new BigDecimal(denominator), DIGITS).doubleValue();
    return Math.sqrt(variance);
  }

  private static int lowestBit(BigInteger v) {
    return v.signum() == 0 ? Integer.MAX_VALUE : v.getLowestSetBit();
  }

  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(n); // Σx, Σw, Σxw and Σw² as whole sums: readFrom keeps them so, the same values
    sumX().writeTo(out);
    sumW().writeTo(out);
    xx.writeTo(out);
    sumXW().writeTo(out);
    sumWW().writeTo(out);
  }

  public static RatioMoments readFrom(DataInput in) throws IOException {
    RatioMoments m = new RatioMoments();
    m.n = in.readLong();
    m.x.addFrom(in);
    m.w.addFrom(in);
    m.xx.addFrom(in);
    m.xw.addFrom(in);
    m.ww.addFrom(in);
    return m;
  }
}
