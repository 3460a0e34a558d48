package io.seqloss.bench;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import io.seqloss.config.ColumnNames;
import io.seqloss.config.InputFormat;
import io.seqloss.fastpath.ColumnarScan;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.input.FormatSources;
import io.seqloss.input.IdKind;
import io.seqloss.input.InputLayout;
import io.seqloss.input.ReaderSettings;
import io.seqloss.loss.LogSumExp;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2ScanExecBase;
import org.apache.spark.sql.types.DataType;
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
 *   <li>{@code scan-inputs}: the floor of what seqloss itself must read: its own columnar scan
 *       (seqloss's query, reader settings and batch rows), which adds the ids and {@code
 *       _metadata}'s file and row index to the three columns, after the footer read that accounts
 *       for every row. It touches what {@code scan} touches, each row's id and its row index, and
 *       computes nothing else. seqloss scalar against it is the cost of the evaluation itself.
 *   <li>{@code scan-loss}: {@code scan-inputs} plus the token loss itself, the least an evaluator
 *       of this loss computes: per step the logits copied into doubles, seqloss's own log-sum-exp
 *       minus the target's logit, times the weight, summed in plain double. No check, no metric, no
 *       exact sum, no second pass. seqloss scalar against it is what those cost; it against {@code
 *       scan-inputs} is the loss's own arithmetic.
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

  /** The scan seqloss itself reads, with the ids and the row index ({@link #scanInputs}). */
  public static final String SCAN_INPUTS = "scan-inputs";

  /** {@link #SCAN_INPUTS} plus the token loss, in plain double ({@link #scanInputs}). */
  public static final String SCAN_LOSS = "scan-loss";

  private BaselineQueries() {}

  /**
   * Runs one query. The clock starts before the corpus is opened (file listing, schema read and the
   * session's first job), as seqloss's own elapsed time does, so the two in-job times measure the
   * same work.
   */
  public static BaselineResult run(
      SparkSession spark, String kind, InputFormat format, List<String> paths) {
    long start = System.nanoTime();
    if (kind.equals(SCAN_INPUTS) || kind.equals(SCAN_LOSS)) {
      double[] sums = scanInputs(spark, format, paths, kind.equals(SCAN_LOSS));
      return new BaselineResult(
          kind, sums[0], sums[1], (long) sums[2], (System.nanoTime() - start) / 1e9);
    }
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
                              + ", "
                              + SCAN_INPUTS
                              + ", "
                              + SCAN_LOSS
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

  /**
   * {loss sum or NaN, weight sum, steps} from seqloss's own scan: the corpus opened as seqloss
   * opens it (every footer read), its canonical query's columnar scan and reader settings, and its
   * batches' rows; with {@code loss}, each token's weighted loss summed too.
   */
  static double[] scanInputs(
      SparkSession spark, InputFormat format, List<String> paths, boolean loss) {
    Corpus corpus = new CorpusReader(spark).read(paths, format, ColumnNames.DEFAULT);
    return ReaderSettings.forCorpus(spark, corpus)
        .applyTo(
            spark,
            () -> {
              ColumnarScan.Found found = ColumnarScan.find(corpus.rows(), corpus.layout());
              ColumnarScan scan =
                  found
                      .scan()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "seqloss's scan is not columnar: " + found.reason()));
              ColumnarScan.BatchLayout layout = scan.layout();
              DataType idType = corpus.rows().schema().fields()[InputLayout.ID].dataType();
              boolean stringIds = corpus.layout().idKind() == IdKind.STRING;
              boolean intIds = idType.equals(DataTypes.IntegerType);
              boolean hasWeights = corpus.layout().hasWeights();
              double[] totals =
                  scan.batches()
                      .mapPartitions(
                          b -> touchRows(layout.rows(b), stringIds, intIds, hasWeights, loss))
                      .reduce(BaselineQueries::add);
              return new double[] {loss ? totals[3] : Double.NaN, totals[0], totals[1] + totals[2]};
            });
  }

  /**
   * {@link #touch} over canonical rows, with each row's id and row index: {weight sum, steps, 0,
   * loss sum}; with {@code loss}, every logit is read for the token's loss instead of one a step.
   */
  private static Iterator<double[]> touchRows(
      Iterator<InternalRow> rows,
      boolean stringIds,
      boolean intIds,
      boolean hasWeights,
      boolean loss) {
    double weightSum = 0;
    double lossSum = 0;
    double[] buffer = new double[0];
    double touched = 0;
    long steps = 0;
    while (rows.hasNext()) {
      InternalRow row = rows.next();
      touched +=
          row.isNullAt(InputLayout.ID)
              ? 0
              : stringIds
                  ? row.getUTF8String(InputLayout.ID).numBytes()
                  : intIds ? row.getInt(InputLayout.ID) : row.getLong(InputLayout.ID);
      touched += row.getLong(InputLayout.ROW);
      ArrayData logits = row.getArray(InputLayout.LOGITS);
      ArrayData targets = row.getArray(InputLayout.TARGETS);
      ArrayData weights = hasWeights ? row.getArray(InputLayout.WEIGHTS) : null;
      int length = logits.numElements();
      steps += length;
      touched += targets.numElements();
      for (int t = 0; t < length; t++) {
        double w = weights == null ? 1.0 : weights.getFloat(t);
        weightSum += w;
        ArrayData step = logits.getArray(t);
        if (loss) {
          if (buffer.length < step.numElements()) {
            buffer = new double[step.numElements()];
          }
          lossSum += w * tokenLoss(step, targets.getInt(t), buffer);
        } else {
          touched += step.getFloat(0);
        }
      }
    }
    return java.util.List.of(new double[] {weightSum, steps, touched * 0.0, lossSum}).iterator();
  }

  /**
   * log Σ exp(logit) − logit[target] with seqloss's own log-sum-exp ({@link LogSumExp}: one pass
   * with {@code Math.exp} for short rows, SIMD-friendly numerators for wide ones), the logits
   * copied once into {@code buffer} with their largest, as seqloss copies them.
   */
  private static double tokenLoss(ArrayData step, int target, double[] buffer) {
    int v = step.numElements();
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < v; c++) {
      double x = step.getFloat(c);
      buffer[c] = x;
      max = Math.max(max, x);
    }
    return LogSumExp.of(buffer, v, max) - buffer[target];
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
    double[] sum = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
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
