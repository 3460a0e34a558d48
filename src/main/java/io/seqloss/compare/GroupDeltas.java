package io.seqloss.compare;

import io.seqloss.stats.PairedDelta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Δ per group, when both runs were grouped the same way: the paired rows keyed by the baseline's
 * group columns (which follow the nine columns of the joined row), aggregated per key on the
 * executors with the same exact sums as the whole comparison, one per_group_delta/ row per group.
 * No group reaches the driver.
 */
final class GroupDeltas {
  private static final int FIRST_KEY = 9;

  private GroupDeltas() {}

  /** Writes per_group_delta/ and returns its number of groups. */
  static long write(
      SparkSession spark,
      Dataset<Row> paired,
      List<String> keys,
      boolean byCount,
      double level,
      String target) {
    int n = keys.size();
    JavaRDD<Row> rows =
        paired
            .javaRDD()
            .mapToPair(row -> new Tuple2<>(key(row, n), row))
            .aggregateByKey(
                new PairedTotals(byCount, 0, 0, 0, false), PairedTotals::add, PairedTotals::merge)
            .map(group -> row(group._1(), group._2(), level));
    List<StructField> fields = new ArrayList<>();
    for (String key : keys) {
      fields.add(DataTypes.createStructField(key, paired.schema().apply(key).dataType(), true));
    }
    fields.addAll(
        List.of(
            DataTypes.createStructField("paired_sequences", DataTypes.LongType, false),
            DataTypes.createStructField("delta", DataTypes.DoubleType, true),
            DataTypes.createStructField("baseline_loss", DataTypes.DoubleType, true),
            DataTypes.createStructField("candidate_loss", DataTypes.DoubleType, true),
            DataTypes.createStructField("standard_error", DataTypes.DoubleType, true),
            DataTypes.createStructField("ci_low", DataTypes.DoubleType, true),
            DataTypes.createStructField("ci_high", DataTypes.DoubleType, true),
            DataTypes.createStructField("p_value", DataTypes.DoubleType, true),
            DataTypes.createStructField("candidate_better", DataTypes.LongType, false),
            DataTypes.createStructField("ties", DataTypes.LongType, false),
            DataTypes.createStructField("baseline_better", DataTypes.LongType, false),
            DataTypes.createStructField("denominator_sum", DataTypes.DoubleType, false)));
    spark
        .createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)))
        .write()
        .parquet(target);
    return spark.read().parquet(target).count();
  }

  /**
   * A group's key: its values, nulls included (a null is a group of its own), compared by value.
   */
  private static List<Object> key(Row row, int n) {
    List<Object> key = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      key.add(row.get(FIRST_KEY + i));
    }
    return key;
  }

  /** A group without weight has no loss: its Δ, losses, error bars and p-value are null. */
  private static Row row(List<Object> key, PairedTotals t, double level) {
    PairedDelta d = t.delta;
    boolean weighed = d.weightSum() != 0.0;
    List<Double> interval = weighed ? d.interval(level) : null;
    Object[] values = Arrays.copyOf(key.toArray(), key.size() + 12);
    int i = key.size();
    values[i++] = t.paired;
    values[i++] = weighed ? d.delta() : null;
    values[i++] = weighed ? d.baselineRatio() : null;
    values[i++] = weighed ? d.candidateRatio() : null;
    values[i++] = weighed ? d.standardError() : null;
    values[i++] = interval == null ? null : interval.get(0);
    values[i++] = interval == null ? null : interval.get(1);
    values[i++] = weighed ? d.pValue() : null;
    values[i++] = t.candidateBetter;
    values[i++] = t.ties;
    values[i++] = t.baselineBetter;
    values[i] = d.weightSum();
    return RowFactory.create(values);
  }
}
