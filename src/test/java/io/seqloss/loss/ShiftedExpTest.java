package io.seqloss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShiftedExpTest {

  @Test
  void eachValueIsWithinAFewUlpsOfStrictMathExpOverTheWholeRange() {
    int n = 100_001;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -128.0 * i / (n - 1); // every exponent from 0 down to the clamp
    }
    double[] e = new double[n];
    ShiftedExp.of(x, n, 0.0, e);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double expected = StrictMath.exp(x[i]);
      worst = Math.max(worst, Math.abs(e[i] - expected) / expected);
    }
    // 8 squarings double the rounding error 8 times: about 2^8 ulps (5.7e-14); measured 6.0e-14.
    assertTrue(worst < 1e-13, "worst relative error " + worst);
  }

  @Test
  void theMaximumIsExactlyOneAndTheShiftIsSubtractedFirst() {
    double[] x = {1e4, 1e4 - 1, 1e4 - 1000};
    double[] e = new double[3];
    ShiftedExp.of(x, 3, 1e4, e);
    assertEquals(1.0, e[0], 0.0);
    assertEquals(StrictMath.exp(-1), e[1], 1e-15);
    assertTrue(e[2] >= 0 && e[2] <= 3e-56, "below the clamp: at most exp(-128), got " + e[2]);
  }

  @Test
  void logSumExpOfWideRowsMatchesACompensatedStrictMathReference() {
    SplittableRandom random = new SplittableRandom(11);
    for (double range : new double[] {1, 8, 40, 200, 1e4, 1e30}) {
      for (int n : new int[] {ShiftedExp.MIN_VECTOR_LENGTH, 1000, 32000}) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] =
              (float) ((random.nextDouble() * 2 - 1) * range); // float logits, as the corpora hold
        }
        double expected = compensatedLogSumExp(x);
        double error = Math.abs(LogSumExp.of(x, n) - expected) / Math.max(1, Math.abs(expected));
        assertTrue(error < 1e-14, "range " + range + ", n " + n + ": relative error " + error);
      }
    }
  }

  @Test
  void sumAddsInAFixedOrderWhateverTheLength() {
    for (int n = 0; n < 11; n++) {
      double[] x = new double[n];
      double expected = 0;
      for (int i = 0; i < n; i++) {
        x[i] = i + 1;
        expected += i + 1;
      }
      assertEquals(expected, ShiftedExp.sum(x, n), 0.0);
    }
    assertEquals(4.0, ShiftedExp.max(new double[] {-1, 4, 2, 9}, 3), 0.0);
  }

  @Test
  void aJvmWithoutHardwareFmaIsDetected() throws Exception {
    assertTrue(
        ShiftedExp.hardwareFma() || !System.getProperty("os.arch").matches("amd64|x86_64|aarch64"),
        "every x86-64 CPU since 2013 and every AArch64 CPU has FMA; this JVM says it has none");
    String launcher =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                launcher,
                "-XX:-UseFMA",
                "-cp",
                System.getProperty("java.class.path"),
                FmaProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    String output =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    assertTrue(output.contains("hardwareFma=false"), output);
    assertTrue(
        output.contains("computes Math.fma in software"),
        "the warning should be logged: " + output);
  }

  /** Run in a JVM started with {@code -XX:-UseFMA}. */
  public static final class FmaProbe {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("hardwareFma=" + ShiftedExp.hardwareFma());
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("seqloss-fma-check")) {
          t.join(); // the warning is logged on that thread
        }
      }
    }
  }

  /** Two passes with StrictMath and a Kahan sum: error about one ulp, independent of the CPU. */
  private static double compensatedLogSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double carry = 0;
    for (double v : x) {
      double y = StrictMath.exp(v - max) - carry;
      double t = sum + y;
      carry = (t - sum) - y;
      sum = t;
    }
    return max + StrictMath.log(sum);
  }
}
