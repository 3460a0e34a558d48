package io.seqloss.loss;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.apache.logging.log4j.LogManager;

/**
 * {@code exp(x[i] - shift)} for a whole prefix of an array at once, for {@code x[i] <= shift}: the
 * softmax numerators. Written as loops of plain multiplications and fused multiply-adds, without
 * branches or calls, because C2 compiles those loops to SIMD instructions (8 lanes with AVX-512),
 * where {@code Math.exp} stays one scalar intrinsic call per value: on this project's machine about
 * 1 ns a value instead of 4.9 (BENCHMARKS.md).
 *
 * <p>The method: the argument {@code d = x - shift} is clamped to [-128, 0], scaled by 2^-8 into
 * [-1/2, 0], where a degree-15 Taylor polynomial of exp is exact to an ulp, and the result squared
 * 8 times ({@code exp(d) = exp(d / 256)^256}). The clamp changes only values below {@code
 * exp(-128)} (about 2.6e-56), which are below an ulp of any sum that includes the maximum's 1.
 * Measured error of a log-sum-exp built on it, against a compensated two-pass {@code StrictMath}
 * reference: at most 3e-15, relative, over random rows of 16 to 32000 logits and ranges of 1 to
 * 1e30 ({@code ShiftedExpTest}).
 *
 * <p>The polynomial is evaluated with {@link Math#fma}: one rounding per term instead of two, and
 * on every x86-64 CPU since 2013 (FMA3) and every AArch64 one, a single instruction that C2
 * vectorises too. Java defines {@code fma} as the exactly rounded result, and every other double
 * operation here as well, so this gives the same bits on every JVM and CPU, compiled or
 * interpreted: the results of a run do not depend on which executors computed them. A JVM without
 * the hardware instruction ({@code -XX:-UseFMA}, or an older CPU) computes {@code fma} in software,
 * exactly but far slower; {@link #hardwareFma()} tells, and the evaluation logs a warning when it
 * is missing rather than change the formula (and the bits) by machine.
 */
public final class ShiftedExp {
  /**
   * Below this many values the loop's set-up costs more than the scalar {@code Math.exp} it saves.
   */
  public static final int MIN_VECTOR_LENGTH = 64;

  private static final double MIN_EXPONENT = -128.0;
  private static final double SCALE = 1.0 / 256; // 2^-8: 8 squarings below
  private static final double C2 = 1.0 / 2;
  private static final double C3 = 1.0 / 6;
  private static final double C4 = 1.0 / 24;
  private static final double C5 = 1.0 / 120;
  private static final double C6 = 1.0 / 720;
  private static final double C7 = 1.0 / 5040;
  private static final double C8 = 1.0 / 40320;
  private static final double C9 = 1.0 / 362880;
  private static final double C10 = 1.0 / 3628800;
  private static final double C11 = 1.0 / 39916800;
  private static final double C12 = 1.0 / 479001600;
  private static final double C13 = 1.0 / 6227020800.0;
  private static final double C14 = 1.0 / 87178291200.0;
  private static final double C15 = 1.0 / 1307674368000.0;

  static {
    // Asked on a thread of its own: the first query of the JVM's management beans is slow, and
    // the task threads waiting for this class to initialise should not spend it.
    Thread check =
        new Thread(
            () -> {
              if (!hardwareFma()) {
                LogManager.getLogger(ShiftedExp.class)
                    .warn(
                        "this JVM computes Math.fma in software (-XX:-UseFMA, or a "
                            + "CPU without FMA instructions): the softmax of rows of {} or more logits will run about 100 times "
                            + "slower than usual; the results are the same",
                        MIN_VECTOR_LENGTH);
              }
            },
            "seqloss-fma-check");
    check.setDaemon(true);
    check.start();
  }

  private ShiftedExp() {}

  /**
   * False when this JVM says it computes {@link Math#fma} without the CPU's instruction (HotSpot's
   * {@code UseFMA} flag is off); true when it is on, or when the JVM does not have that flag to
   * ask.
   */
  public static boolean hardwareFma() {
    try {
      HotSpotDiagnosticMXBean hotSpot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotSpot == null || !"false".equals(hotSpot.getVMOption("UseFMA").getValue());
    } catch (RuntimeException e) { // not HotSpot, or a HotSpot without the flag
      return true;
    }
  }

  /**
   * Writes {@code exp(x[i] - shift)} into {@code out[i]} for {@code i < n}; every {@code x[i]} must
   * be finite and at most {@code shift}, and {@code out} at least {@code n} long.
   *
   * <p>Two loops, the polynomial and then the squarings, because C2 vectorises each of them but not
   * the two fused into one (JDK 17 gives up on a loop body that large; the fused loop ran at 10 ns
   * a value, the two loops at 2, now 1 with {@code fma}).
   */
  public static void of(double[] x, int n, double shift, double[] out) {
    for (int i = 0; i < n; i++) {
      double r = Math.max(x[i] - shift, MIN_EXPONENT) * SCALE;
      double p = Math.fma(r, C15, C14);
      p = Math.fma(r, p, C13);
      p = Math.fma(r, p, C12);
      p = Math.fma(r, p, C11);
      p = Math.fma(r, p, C10);
      p = Math.fma(r, p, C9);
      p = Math.fma(r, p, C8);
      p = Math.fma(r, p, C7);
      p = Math.fma(r, p, C6);
      p = Math.fma(r, p, C5);
      p = Math.fma(r, p, C4);
      p = Math.fma(r, p, C3);
      p = Math.fma(r, p, C2);
      p = Math.fma(r, p, 1.0);
      out[i] = Math.fma(r, p, 1.0);
    }
    for (int i = 0; i < n; i++) {
      double p = out[i];
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      p *= p;
      out[i] = p;
    }
  }

  /**
   * {@code Σ x[i]} for {@code i < n}, in four interleaved partial sums (a fixed order, so the same
   * bits every time), which keeps four additions in flight instead of one.
   */
  public static double sum(double[] x, int n) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
    for (; i < n; i++) {
      s0 += x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** The largest of {@code x[0..n)}, n at least 1. */
  public static double max(double[] x, int n) {
    double max = x[0];
    for (int i = 1; i < n; i++) {
      max = Math.max(max, x[i]);
    }
    return max;
  }
}
