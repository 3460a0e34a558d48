package io.seqloss.bench;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import io.seqloss.config.InputFormat;
import io.seqloss.input.FormatSources;
import io.seqloss.input.ReaderSettings;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanExecBase;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.Seq;

/**
 * The queries seqloss is measured against, over a corpus with float logits, int targets and float
 * weights (what {@code generate} writes):
 *
 * <ul>
 *   <li>{@code scan}: the floor. The columnar scan of the same three columns that seqloss reads
 *       (Spark's vectorized Parquet reader, or seqloss's Arrow source), consumed as columnar
 *       batches; it touches the size of every array and one value of every step, and computes
 *       nothing else. Either reader has every value of a batch in memory whatever is touched:
 *       Parquet's decodes all of them, Arrow's reads the whole record batch.
 *   <li>{@code scan-tuned}: the same scan with the Parquet read buffers that seqloss sizes for the
 *       corpus ({@link ReaderSettings}); the other queries read as plain Spark does (only their
 *       batch size is seqloss's, without which wide rows do not fit in memory). Its distance to
 *       seqloss is the cost of the computation alone.
 *   <li>{@code sql}: the loss as a user without seqloss writes it in Spark SQL, with the built-in
 *       higher-order functions (transform, zip_with, aggregate, array_max, exp, ln).
 *   <li>{@code udf}: the loss as a naive Java UDF over Spark's {@code Seq} of boxed values.
 * </ul>
 *
 * Parquet and Arrow corpora are opened as seqloss opens them ({@link FormatSources}), so that each
 * query reads a format the way seqloss does.
 */
public final class BaselineQueries {
  /** The columns the scan floor reads, in the order {@link #touch} takes them. */
  private static final String[] SCANNED = {"logits", "targets", "weights"};

  /**
   * The scan floor read with seqloss's reader settings ({@link ReaderSettings}) instead of Spark's.
   */
  public static final String SCAN_TUNED = "scan-tuned";

  private BaselineQueries() {}

  /**
   * Runs one query. The clock starts before the corpus is opened (file listing, schema read and the
   * session's first job), as seqloss's own elapsed time does, so the two in-job times measure the
   * same work.
   */
  public static BaselineResult run(
      SparkSession spark, String kind, InputFormat format, List<String> paths) {
    long start = System.nanoTime();
    Dataset<Row> corpus = FormatSources.open(spark, format, paths);
    // The same reader batch size as seqloss picks: with Spark's default, wide rows do not fit in 1
    // GB.
    // Otherwise plain Spark, except for scan-tuned, which reads with all of seqloss's reader
    // settings.
    // Arrow batches are the files' own record batches.
    ReaderSettings seqlossReader =
        format == InputFormat.PARQUET
            ? ReaderSettings.choose(spark, FormatSources.dataFiles(spark, format, corpus, paths))
            : ReaderSettings.SPARK_DEFAULTS;
    ReaderSettings reader = kind.equals(SCAN_TUNED) ? seqlossReader : seqlossReader.batchRowsOnly();
    double[] sums =
        reader.applyTo(
            spark,
            () ->
                switch (kind) {
                  case "scan", SCAN_TUNED -> scanFloor(corpus);
                  case "sql" -> sqlLoss(corpus);
                  case "udf" -> udfLoss(spark, corpus);
                  default ->
                      throw new IllegalArgumentException(
                          "unknown baseline "
                              + kind
                              + "; expected scan, "
                              + SCAN_TUNED
                              + ", sql or udf");
                });
    return new BaselineResult(
        kind, sums[0], sums[1], (long) sums[2], (System.nanoTime() - start) / 1e9);
  }

  /**
   * {NaN, weight sum, steps}: every batch of the scan, each array's size and one value per step.
   */
  static double[] scanFloor(Dataset<Row> corpus) {
    SparkPlan plan =
        corpus.select(SCANNED[0], SCANNED[1], SCANNED[2]).queryExecution().executedPlan();
    SparkPlan scan = plan.collectLeaves().head();
    boolean fileOrV2Scan =
        scan instanceof FileSourceScanExec || scan instanceof DataSourceV2ScanExecBase;
    if (!fileOrV2Scan || !scan.supportsColumnar()) {
      throw new IllegalStateException("the scan is not columnar: " + plan.treeString());
    }
    // Where each column is in the scan's batches: a data source V2 scan keeps its table's column
    // order.
    int[] columns = new int[SCANNED.length];
    Seq<Attribute> output = scan.output();
    for (int i = 0; i < columns.length; i++) {
      columns[i] = -1;
      for (int j = 0; j < output.size(); j++) {
        columns[i] = output.apply(j).name().equals(SCANNED[i]) ? j : columns[i];
      }
      if (columns[i] < 0) {
        throw new IllegalStateException(
            "column " + SCANNED[i] + " is not in the scan: " + plan.treeString());
      }
    }
    JavaRDD<ColumnarBatch> batches = scan.executeColumnar().toJavaRDD();
    double[] totals = batches.mapPartitions(b -> touch(b, columns)).reduce(BaselineQueries::add);
    return new double[] {Double.NaN, totals[0], totals[1] + totals[2]};
  }

  /** {@code columns}: where logits, targets and weights are in the scan's batches. */
  private static Iterator<double[]> touch(Iterator<ColumnarBatch> batches, int[] columns) {
    double weightSum = 0;
    double touched = 0;
    long steps = 0;
    while (batches.hasNext()) {
      ColumnarBatch batch = batches.next();
      for (int r = 0; r < batch.numRows(); r++) {
        ColumnarArray logits = batch.column(columns[0]).getArray(r);
        ColumnarArray targets = batch.column(columns[1]).getArray(r);
        ColumnarArray weights = batch.column(columns[2]).getArray(r);
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
    Row row =
        corpus
            .select(
                expr("aggregate(zip_with("
                        + "zip_with(transform(logits, s -> named_struct('s', s, 'm', array_max(s))), targets,"
                        + "  (p, t) -> p.m + ln(aggregate(p.s, 0D, (a, x) -> a + exp(x - p.m))) - p.s[t]),"
                        + " weights, (ce, w) -> ce * w), 0D, (a, x) -> a + x)")
                    .as("loss_sum"),
                expr("aggregate(weights, 0D, (a, w) -> a + w)").as("weight_sum"),
                expr("size(logits)").as("steps"))
            .agg(sum("loss_sum"), sum("weight_sum"), sum("steps"))
            .first();
    return new double[] {row.getDouble(0), row.getDouble(1), row.getLong(2)};
  }

  /** {loss sum, weight sum, steps} with a row UDF over Scala Seqs of boxed floats. */
  static double[] udfLoss(SparkSession spark, Dataset<Row> corpus) {
    spark
        .udf()
        .register(
            "row_loss",
            (UDF3<Seq<Seq<Float>>, Seq<Integer>, Seq<Float>, Double>) BaselineQueries::rowLoss,
            DataTypes.DoubleType);
    spark
        .udf()
        .register(
            "row_weight",
            (org.apache.spark.sql.api.java.UDF1<Seq<Float>, Double>)
                weights -> {
                  double s = 0;
                  for (int t = 0; t < weights.size(); t++) {
                    s += weights.apply(t);
                  }
                  return s;
                },
            DataTypes.DoubleType);
    Row row =
        corpus
            .select(
                callUDF("row_loss", col("logits"), col("targets"), col("weights")).as("loss_sum"),
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
