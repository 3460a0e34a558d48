package io.seqloss.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bundled headline example (docs/losses.md, sampled softmax): headline generation, batch 3, 6
 * steps, vocabulary 10000, all weights 1. The logits are a fixed formula: a Zipfian prior over the
 * vocabulary ({@code -1.2 ln(c + 1)}, on a 0.25 grid) plus a bump on the target (the model is
 * right) or on its neighbour (wrong) every third step. On a grid the logits repeat in long runs, so
 * Parquet's dictionary and run-length encodings keep the bundled file
 * examples/headline/headlines.parquet small.
 */
public final class HeadlineSample {
  public static final int BATCH = 3;
  public static final int STEPS = 6;
  public static final int CLASSES = 10000;
  public static final int[][] TARGETS = {
    {17, 402, 9, 3311, 58, 2},
    {1204, 7, 88, 9120, 640, 2},
    {3, 5555, 271, 36, 4999, 2}
  };

  private HeadlineSample() {}

  public static float logit(int b, int t, int c) {
    double prior = Math.round(-1.2 * Math.log(c + 1.0) * 4.0) / 4.0;
    int target = TARGETS[b][t];
    boolean right = (b + t) % 3 != 0;
    if (c == target) {
      return (float) (prior + (right ? 12.0 : 7.0));
    }
    if (!right && c == (target + 1) % CLASSES) {
      return (float) (prior + 9.0);
    }
    return (float) prior;
  }

  public static StructType schema() {
    return new StructType()
        .add("id", DataTypes.StringType)
        .add("logits", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
        .add("targets", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("weights", DataTypes.createArrayType(DataTypes.FloatType));
  }

  public static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < BATCH; b++) {
      List<List<Float>> logits = new ArrayList<>();
      List<Integer> targets = new ArrayList<>();
      List<Float> weights = new ArrayList<>();
      for (int t = 0; t < STEPS; t++) {
        List<Float> step = new ArrayList<>(CLASSES);
        for (int c = 0; c < CLASSES; c++) {
          step.add(logit(b, t, c));
        }
        logits.add(step);
        targets.add(TARGETS[b][t]);
        weights.add(1.0f);
      }
      rows.add(RowFactory.create("headline-" + b, logits, targets, weights));
    }
    return rows;
  }

  /** The full cross-entropy by hand: plain loops, no seqloss code. */
  public static double expectedCrossEntropy() {
    double sum = 0;
    for (int b = 0; b < BATCH; b++) {
      for (int t = 0; t < STEPS; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          max = Math.max(max, logit(b, t, c));
        }
        double s = 0;
        for (int c = 0; c < CLASSES; c++) {
          s += Math.exp(logit(b, t, c) - max);
        }
        sum += max + Math.log(s) - logit(b, t, TARGETS[b][t]);
      }
    }
    return sum / (BATCH * STEPS);
  }

  /** Top-k accuracy by hand: ties at the boundary share its places (the documented rule). */
  public static double expectedTopKAccuracy(int k) {
    double sum = 0;
    for (int b = 0; b < BATCH; b++) {
      for (int t = 0; t < STEPS; t++) {
        float target = logit(b, t, TARGETS[b][t]);
        int above = 0;
        int tied = 0;
        for (int c = 0; c < CLASSES; c++) {
          float l = logit(b, t, c);
          above += l > target ? 1 : 0;
          tied += l == target ? 1 : 0;
        }
        sum += Math.min(1.0, Math.max(0.0, (double) (k - above) / tied));
      }
    }
    return sum / (BATCH * STEPS);
  }

  public static void write(SparkSession spark, Path file) {
    Corpora.writeOneFile(spark, rows(), schema(), file);
  }
}
