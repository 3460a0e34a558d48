package io.seqloss.slice;

import io.seqloss.output.DriverParquetTable;
import io.seqloss.output.RunSummary;
import io.seqloss.stats.NormalInterval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Each group's numbers and error bars, written to per_group/ sorted by the group columns. Few
 * groups (at most {@link #MAX_IN_SUMMARY}) were merged on the driver during the evaluation pass and
 * are written from there ({@link #write}); more are merged on the executors ({@link #aggregate}):
 * an exact merge by key (a shuffle of compact partials), of which only the first 1,001 rows ever
 * reach the driver.
 */
public final class GroupResults {
  /** Groups listed in summary.json at most. */
  public static final int MAX_IN_SUMMARY = 1000;

  /** Partial rows per reduce task, so that a task's merged groups fit in memory. */
  private static final long PARTIALS_PER_TASK = 20_000;

  private GroupResults() {}

  /**
   * How each group's result is derived: the run's denominator, the loss kind and the interval's
   * level.
   */
  public record Settings(boolean byCount, boolean crossEntropy, double level)
      implements java.io.Serializable {}

  /** Aggregates the partials at {@code partialsPath}, writes per_group/ to {@code outputPath}. */
  public static RunSummary.Slices aggregate(
      SparkSession spark,
      String partialsPath,
      String outputPath,
      GroupSpec spec,
      List<Integer> bucketEdges,
      Settings settings) {
    // The schema is given: a corpus without rows leaves no partial file to infer it from.
    Dataset<Row> partials =
        spark.read().schema(GroupTable.partialSchema(spec)).parquet(partialsPath);
    long partialRows = partials.count();
    int tasks =
        (int)
            Math.max(
                spark.sparkContext().defaultParallelism(),
                Math.min(100_000, (partialRows + PARTIALS_PER_TASK - 1) / PARTIALS_PER_TASK));
    int keys = spec.keyNames().size();
    double z = NormalInterval.z(settings.level());
    JavaPairRDD<List<Object>, GroupTotals> byGroup =
        partials
            .javaRDD()
            .mapToPair(
                r -> {
                  Object[] key = new Object[keys];
                  for (int i = 0; i < keys; i++) {
                    key[i] = r.get(i);
                  }
                  return new Tuple2<>(Arrays.asList(key), GroupTotals.fromBytes(r.getAs(keys)));
                });
    // Kept (serialized, spilling to disk) for the sort's sampling, the write and the summary's
    // first rows.
    JavaRDD<Row> rows =
        byGroup
            .reduceByKey(GroupTotals::merge, tasks)
            .map(e -> resultRow(e, settings, z))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    Dataset<Row> results =
        withDates(spark.createDataFrame(rows, schema(spec, true)), spec)
            .orderBy(spec.keyNames().stream().map(functions::col).toArray(Column[]::new));
    List<Row> first;
    try {
      results.write().parquet(outputPath);
      first = results.limit(MAX_IN_SUMMARY + 1).collectAsList();
    } finally {
      rows.unpersist(false);
    }
    long count =
        first.size() <= MAX_IN_SUMMARY ? first.size() : spark.read().parquet(outputPath).count();
    List<RunSummary.GroupResult> listed =
        first.size() <= MAX_IN_SUMMARY
            ? first.stream().map(r -> summaryOf(r, spec)).toList()
            : null;
    return new RunSummary.Slices(
        spec.columns().isEmpty() ? null : spec.columns(),
        bucketEdges.isEmpty() ? null : bucketEdges,
        count,
        listed);
  }

  /**
   * Writes the groups the driver merged, in the executor path's order: Spark's ascending sort
   * (nulls first, strings by their UTF-8 bytes), one file.
   */
  public static RunSummary.Slices write(
      SparkSession spark,
      Map<List<Object>, GroupTotals> groups,
      String outputPath,
      GroupSpec spec,
      List<Integer> bucketEdges,
      Settings settings) {
    double z = NormalInterval.z(settings.level());
    List<Row> rows =
        groups.entrySet().stream()
            .sorted(Map.Entry.comparingByKey(GroupKeyOrder.INSTANCE))
            .map(e -> resultRow(e.getKey(), e.getValue(), settings, z))
            .toList();
    DriverParquetTable.write(spark, schema(spec, false), rows, outputPath); // dates as day numbers
    return new RunSummary.Slices(
        spec.columns().isEmpty() ? null : spec.columns(),
        bucketEdges.isEmpty() ? null : bucketEdges,
        (long) rows.size(),
        rows.stream().map(r -> summaryOf(datesOf(r, spec), spec)).toList());
  }

  /** A driver-built row with its day numbers as dates, as the executor path's rows come back. */
  private static Row datesOf(Row row, GroupSpec spec) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      Object v = row.get(i);
      values[i] =
          i < spec.columns().size() && DataTypes.DateType.equals(spec.types().get(i)) && v != null
              ? java.time.LocalDate.ofEpochDay((Integer) v)
              : v;
    }
    return RowFactory.create(values);
  }

  private static Row resultRow(
      Tuple2<List<Object>, GroupTotals> group, Settings settings, double z) {
    return resultRow(group._1(), group._2(), settings, z);
  }

  private static Row resultRow(List<Object> key, GroupTotals t, Settings settings, double z) {
    double denominator = t.moments().denominator();
    double loss = t.moments().ratio();
    Double se = t.moments().standardError();
    Double perplexity = settings.crossEntropy() && denominator != 0.0 ? Math.exp(loss) : null;
    List<Object> values = new ArrayList<>(key);
    values.addAll(
        Arrays.asList(
            loss,
            se,
            se == null ? null : loss - z * se,
            se == null ? null : loss + z * se,
            perplexity,
            divideOrZero(t.correctSum(), denominator),
            divideOrZero(t.topKSum(), denominator),
            t.sequences(),
            t.invalidRows(),
            t.tokens(),
            t.moments().numerator(),
            t.weightSum(),
            t.nonzeroWeights()));
    return RowFactory.create(values.toArray());
  }

  private static double divideOrZero(double numerator, double denominator) {
    return denominator == 0.0 ? 0.0 : numerator / denominator;
  }

  /** per_group/'s columns; while {@code datesAsDays}, a date column holds its day number. */
  static StructType schema(GroupSpec spec, boolean datesAsDays) {
    List<StructField> fields = new ArrayList<>();
    for (int g = 0; g < spec.columns().size(); g++) {
      DataType type = spec.types().get(g);
      fields.add(
          DataTypes.createStructField(
              spec.columns().get(g),
              datesAsDays && DataTypes.DateType.equals(type) ? DataTypes.IntegerType : type,
              true));
    }
    if (spec.hasBuckets()) {
      fields.add(DataTypes.createStructField(GroupSpec.LENGTH_BUCKET, DataTypes.StringType, true));
    }
    for (String d :
        List.of(
            "loss",
            "standard_error",
            "ci_low",
            "ci_high",
            "perplexity",
            "accuracy",
            "top_k_accuracy")) {
      boolean nullable = !d.equals("loss") && !d.contains("accuracy");
      fields.add(DataTypes.createStructField(d, DataTypes.DoubleType, nullable));
    }
    for (String c : List.of("sequences", "invalid_rows", "tokens")) {
      fields.add(DataTypes.createStructField(c, DataTypes.LongType, false));
    }
    fields.add(DataTypes.createStructField("loss_sum", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("weight_sum", DataTypes.DoubleType, false));
    fields.add(DataTypes.createStructField("nonzero_weights", DataTypes.LongType, false));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** Day numbers back to dates (Spark's own conversion, no time zone involved). */
  private static Dataset<Row> withDates(Dataset<Row> rows, GroupSpec spec) {
    return withDates(rows, spec, 0);
  }

  /**
   * The same for rows whose group columns start at column {@code first} (per_sequence/ of a grouped
   * run).
   */
  public static Dataset<Row> withDates(Dataset<Row> rows, GroupSpec spec, int first) {
    Column[] columns = Arrays.stream(rows.columns()).map(functions::col).toArray(Column[]::new);
    for (int g = 0; g < spec.columns().size(); g++) {
      if (DataTypes.DateType.equals(spec.types().get(g))) {
        String name = spec.columns().get(g);
        columns[first + g] =
            functions.expr("date_from_unix_date(`" + name.replace("`", "``") + "`)").as(name);
      }
    }
    return rows.select(columns);
  }

  private static RunSummary.GroupResult summaryOf(Row r, GroupSpec spec) {
    Map<String, Object> group = new LinkedHashMap<>();
    List<String> names = spec.keyNames();
    for (int i = 0; i < names.size(); i++) {
      Object value = r.get(i);
      group.put(
          names.get(i),
          value instanceof java.sql.Date || value instanceof java.time.LocalDate
              ? value.toString()
              : value);
    }
    int k = names.size();
    Double se = (Double) r.get(k + 1);
    return new RunSummary.GroupResult(
        group,
        r.getDouble(k),
        se,
        se == null ? null : List.of(r.getDouble(k + 2), r.getDouble(k + 3)),
        (Double) r.get(k + 4),
        r.getDouble(k + 5),
        r.getDouble(k + 6),
        r.getLong(k + 7),
        r.getLong(k + 8),
        r.getLong(k + 9),
        r.getDouble(k + 10),
        r.getDouble(k + 11),
        r.getLong(k + 12));
  }
}
