package io.seqloss.bench;

import io.seqloss.eval.ScoringSpec;
import io.seqloss.eval.TokenScorer;
import io.seqloss.loss.LogSumExp;
import io.seqloss.loss.LossSettings;
import io.seqloss.loss.ShiftedExp;
import io.seqloss.metrics.RankCredit;
import java.util.SplittableRandom;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarArray;

/**
 * What the loss computation costs per logit on one core, without Spark: the lower bound of what
 * seqloss adds to the scan. Times, over one step of V random logits held in a Spark column vector,
 * the copy of the floats into the evaluator's double buffer (with the finiteness check and the
 * maximum), the log-sum-exp alone, the rank pass of the accuracy metrics alone, and the whole
 * per-token scoring (loss + metrics). BENCHMARKS.md quotes its output.
 *
 * <p>Usage: {@code java -cp JAR:SPARK_CLASSPATH io.seqloss.bench.LogitCost [V] [seconds per
 * measure]}
 */
public final class LogitCost {
  private LogitCost() {}

  public static void main(String[] args) {
    int v = args.length > 0 ? Integer.parseInt(args[0]) : 32000;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
    OnHeapColumnVector values = new OnHeapColumnVector(v, DataTypes.FloatType);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < v; i++) {
      values.putFloat(i, (float) (random.nextDouble() * 8 - 4));
    }
    ColumnarArray step = new ColumnarArray(values, 0, v);
    double[] buffer = new double[v];
    int target = Math.min(3, v - 1);
    TokenScorer scorer = new ScoringSpec(LossSettings.crossEntropy(), null, null, 5).newScorer(v);
    RankCredit rank = new RankCredit(5);
    scorer.startSequence(0, 1);
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      double copy =
          time(
              seconds,
              v,
              () -> { // what the evaluator does: copy, check, find the max
                double max = Double.NEGATIVE_INFINITY;
                double min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                  double value = step.getFloat(i);
                  buffer[i] = value;
                  max = Math.max(max, value);
                  min = Math.min(min, value);
                }
                return max + min;
              });
      double maxLogit = ShiftedExp.max(buffer, v);
      double lse = time(seconds, v, () -> LogSumExp.of(buffer, v, maxLogit));
      double ranks =
          time(
              seconds,
              v,
              () -> {
                rank.rank(buffer, v, target);
                return rank.accuracy();
              });
      double score =
          time(
              seconds,
              v,
              () -> {
                scorer.score(0, buffer, maxLogit, target, 1.0);
                return scorer.lossSum();
              });
      if (round == 1) {
        System.out.printf(
            "V=%d, ns per logit on one core: copy %.2f, log-sum-exp %.2f, rank (metrics) %.2f, "
                + "whole scoring (loss + metrics) %.2f; copy + scoring %.2f%n",
            v, copy, lse, ranks, score, copy + score);
      }
    }
  }

  /** Nanoseconds per logit of {@code body}, run for about {@code seconds}. */
  private static double time(double seconds, int v, java.util.function.DoubleSupplier body) {
    double sink = 0;
    long calls = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink += body.getAsDouble();
      }
      calls += 16;
      now = System.nanoTime();
    } while (now < end);
    if (sink == 42.4242) {
      System.out.print(""); // keeps the results alive
    }
    return (now - start) / (double) calls / v;
  }
}
