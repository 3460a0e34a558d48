package io.seqloss.bench;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import io.seqloss.input.ReaderBatchSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.Seq;

/**
 * The queries seqloss is measured against, over a corpus with float logits, int targets and float
 * weights (what {@code generate} writes):
 * <ul>
 *   <li>{@code scan}: the floor. Spark's vectorized Parquet scan of the same three columns, consumed
 *       as columnar batches; it touches the size of every array and one value of every step, and
 *       computes nothing else. The reader decodes every value of a batch whatever is touched.</li>
 *   <li>{@code sql}: the loss as a user without seqloss writes it in Spark SQL, with the built-in
 *       higher-order functions (transform, zip_with, aggregate, array_max, exp, ln).</li>
 *   <li>{@code udf}: the loss as a naive Java UDF over Spark's {@code Seq} of boxed values.</li>
 * </ul>
 */
public final class BaselineQueries {
  private BaselineQueries() {}

  /**
   * Runs one query. The clock starts once the corpus is opened (file listing and schema read), as
   * seqloss's own elapsed time does, so the two in-job times measure the same work.
   */
  public static BaselineResult run(SparkSession spark, String kind, String... paths) {
    Dataset<Row> corpus = spark.read().parquet(paths);
    long start = System.nanoTime();
    // The same reader batch size as seqloss picks: with Spark's default, wide rows do not fit in 1 GB.
    OptionalInt batchRows = ReaderBatchSize.choose(spark, sortedFiles(corpus));
    double[] sums = ReaderBatchSize.with(spark, batchRows, () -> switch (kind) {
      case "scan" -> scanFloor(corpus);
      case "sql" -> sqlLoss(corpus);
      case "udf" -> udfLoss(spark, corpus);
      default -> throw new IllegalArgumentException("unknown baseline " + kind + "; expected scan, sql or udf");
    });
    return new BaselineResult(kind, sums[0], sums[1], (long) sums[2], (System.nanoTime() - start) / 1e9);
  }

  private static List<String> sortedFiles(Dataset<Row> corpus) {
    List<String> files = new ArrayList<>(Arrays.asList(corpus.inputFiles()));
    files.sort(null);
    return files;
  }

  /** {NaN, weight sum, steps}: every batch of the scan, each array's size and one value per step. */
  static double[] scanFloor(Dataset<Row> corpus) {
    Dataset<Row> columns = corpus.select("logits", "targets", "weights");
    SparkPlan plan = columns.queryExecution().executedPlan();
    SparkPlan leaf = plan.collectLeaves().head();
    if (!(leaf instanceof FileSourceScanExec scan) || !scan.supportsColumnar()) {
      throw new IllegalStateException("the scan is not columnar: " + plan.treeString());
    }
    JavaRDD<ColumnarBatch> batches = scan.executeColumnar().toJavaRDD();
    double[] totals = batches.mapPartitions(BaselineQueries::touch).reduce(BaselineQueries::add);
    return new double[] {Double.NaN, totals[0], totals[1] + totals[2]};
  }

  private static Iterator<double[]> touch(Iterator<ColumnarBatch> batches) {
    double weightSum = 0;
    double touched = 0;
    long steps = 0;
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      for (int r = 0; r < batch.numRows(); r++) {
        ColumnarArray logits = batch.column(0).getArray(r);
        ColumnarArray targets = batch.column(1).getArray(r);
        ColumnarArray weights = batch.column(2).getArray(r);
        int length = logits.numElements();
        steps += length;
        touched += targets.numElements();
        for (int t = 0; t < length; t++) {
          touched += logits.getArray(t).getFloat(0);
          weightSum += weights.getFloat(t);
        }
      }
    }
    // touched is returned (as a zero) only so that the JIT cannot drop the reads.
    return java.util.List.of(new double[] {weightSum, steps, touched * 0.0}).iterator();
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  }

  /** {loss sum, weight sum, steps} with Spark SQL's higher-order functions. */
  static double[] sqlLoss(Dataset<Row> corpus) {
    Row row = corpus
        .select(
            expr("aggregate(zip_with("
                + "zip_with(transform(logits, s -> named_struct('s', s, 'm', array_max(s))), targets,"
                + "  (p, t) -> p.m + ln(aggregate(p.s, 0D, (a, x) -> a + exp(x - p.m))) - p.s[t]),"
                + " weights, (ce, w) -> ce * w), 0D, (a, x) -> a + x)").as("loss_sum"),
            expr("aggregate(weights, 0D, (a, w) -> a + w)").as("weight_sum"),
            expr("size(logits)").as("steps"))
        .agg(sum("loss_sum"), sum("weight_sum"), sum("steps"))
        .first();
    return new double[] {row.getDouble(0), row.getDouble(1), row.getLong(2)};
  }

  /** {loss sum, weight sum, steps} with a row UDF over Scala Seqs of boxed floats. */
  static double[] udfLoss(SparkSession spark, Dataset<Row> corpus) {
    spark.udf().register("row_loss", (UDF3<Seq<Seq<Float>>, Seq<Integer>, Seq<Float>, Double>) BaselineQueries::rowLoss,
        DataTypes.DoubleType);
    spark.udf().register("row_weight", (org.apache.spark.sql.api.java.UDF1<Seq<Float>, Double>) weights -> {
      double s = 0;
      for (int t = 0; t < weights.size(); t++) {
        s += weights.apply(t);
      }
      return s;
    }, DataTypes.DoubleType);
    Row row = corpus
        .select(callUDF("row_loss", col("logits"), col("targets"), col("weights")).as("loss_sum"),
            callUDF("row_weight", col("weights")).as("weight_sum"),
            expr("size(logits)").as("steps"))
        .agg(sum("loss_sum"), sum("weight_sum"), sum("steps"))
        .first();
    return new double[] {row.getDouble(0), row.getDouble(1), row.getLong(2)};
  }

  private static Double rowLoss(Seq<Seq<Float>> logits, Seq<Integer> targets, Seq<Float> weights) {
    double total = 0;
    for (int t = 0; t < logits.size(); t++) {
      Seq<Float> step = logits.apply(t);
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < step.size(); v++) {
        max = Math.max(max, step.apply(v));
      }
      double sum = 0;
      for (int v = 0; v < step.size(); v++) {
        sum += Math.exp(step.apply(v) - max);
      }
      total += (max + Math.log(sum) - step.apply(targets.apply(t))) * weights.apply(t);
    }
    return total;
  }
}
