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
 * The bundled sentiment sample (README.md's quick start): per-token sentiment, batch 5, 10 steps, 2
 * classes, integer weights marking padding with the given mask. The logits and targets are a fixed
 * formula (there are none in the seed), so the bundled file examples/sentiment/sentiment.parquet
 * can be checked and rebuilt.
 */
public final class SentimentSample {
  public static final int BATCH = 5;
  public static final int STEPS = 10;
  public static final int CLASSES = 2;
  public static final int[][] MASK = {
    {1, 0, 1, 1, 1, 0, 0, 1, 1, 1},
    {1, 0, 0, 0, 0, 0, 0, 1, 1, 1},
    {1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
    {0, 0, 0, 0, 0, 1, 1, 1, 1, 1},
    {1, 0, 0, 1, 1, 1, 1, 0, 0, 0}
  };

  private SentimentSample() {}

  public static float logit(int b, int t, int c) {
    double raw = c == 0 ? 2.0 * Math.sin(1.3 * b + 0.7 * t) : 2.0 * Math.cos(0.9 * b - 0.4 * t);
    return (float) (Math.round(raw * 100.0) / 100.0);
  }

  public static int target(int b, int t) {
    return (3 * b + t) % 2;
  }

  public static StructType schema() {
    return new StructType()
        .add("id", DataTypes.StringType)
        .add("logits", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)))
        .add("targets", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("weights", DataTypes.createArrayType(DataTypes.IntegerType));
  }

  public static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < BATCH; b++) {
      List<List<Float>> logits = new ArrayList<>();
      List<Integer> targets = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      for (int t = 0; t < STEPS; t++) {
        logits.add(List.of(logit(b, t, 0), logit(b, t, 1)));
        targets.add(target(b, t));
        weights.add(MASK[b][t]);
      }
      rows.add(RowFactory.create("review-" + b, logits, targets, weights));
    }
    return rows;
  }

  /** Cross-entropy of one token by hand: plain arithmetic, no seqloss code. */
  public static double crossEntropy(int b, int t) {
    double l0 = logit(b, t, 0);
    double l1 = logit(b, t, 1);
    double m = Math.max(l0, l1);
    double lse = m + Math.log(Math.exp(l0 - m) + Math.exp(l1 - m));
    return lse - (target(b, t) == 0 ? l0 : l1);
  }

  /** The scalar loss by hand. */
  public static double expectedLoss() {
    double num = 0;
    double den = 0;
    for (int b = 0; b < BATCH; b++) {
      for (int t = 0; t < STEPS; t++) {
        num += crossEntropy(b, t) * MASK[b][t];
        den += MASK[b][t];
      }
    }
    return num / den;
  }

  /** The per-sequence average of sequence b by hand. */
  public static double expectedSequenceLoss(int b) {
    double num = 0;
    double den = 0;
    for (int t = 0; t < STEPS; t++) {
      num += crossEntropy(b, t) * MASK[b][t];
      den += MASK[b][t];
    }
    return num / den;
  }

  /** The per-timestep average of step t by hand (0 when no weight reaches it). */
  public static double expectedTimestepLoss(int t) {
    double num = 0;
    double den = 0;
    for (int b = 0; b < BATCH; b++) {
      num += crossEntropy(b, t) * MASK[b][t];
      den += MASK[b][t];
    }
    return den == 0 ? 0 : num / den;
  }

  public static void write(SparkSession spark, Path file) {
    Corpora.writeOneFile(spark, rows(), schema(), file);
  }
}
