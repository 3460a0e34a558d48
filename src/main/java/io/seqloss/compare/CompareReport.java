package io.seqloss.compare;

import static org.apache.spark.sql.functions.col;

import io.seqloss.output.OutputDirectory;
import io.seqloss.output.OutputSchemas;
import io.seqloss.report.CompareReportPage;
import io.seqloss.report.ComparisonCharts;
import io.seqloss.report.LossByPositionTable;
import io.seqloss.report.RunReportFile;
import io.seqloss.stats.LossByPosition.PositionPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a comparison's report.html into its staging directory: the result, both runs' saved curves
 * (when both have one) and the first groups of per_group_delta/ in key order. Only those few rows
 * reach the driver.
 */
final class CompareReport {
  static final String NAME = RunReportFile.NAME;

  /** Groups drawn in the forest plot at most (per_group_delta/ holds them all). */
  static final int PLOTTED_GROUPS = 40;

  private CompareReport() {}

  static void write(
      SparkSession spark, ComparisonResult result, RunOutput a, RunOutput b, OutputDirectory out) {
    spark.sparkContext().setJobDescription("seqloss compare: report");
    ComparisonCharts charts =
        new ComparisonCharts(curve(spark, a), curve(spark, b), groups(spark, result, out));
    RunReportFile.writePage(
        out.stagingPath(NAME),
        CompareReportPage.render(result, charts),
        spark.sparkContext().hadoopConfiguration());
    spark.sparkContext().setJobDescription(null);
  }

  private static List<PositionPoint> curve(SparkSession spark, RunOutput run) {
    return run.lossByPosition() == null
        ? null
        : LossByPositionTable.read(spark, run.lossByPosition());
  }

  private static List<ComparisonCharts.GroupDelta> groups(
      SparkSession spark, ComparisonResult result, OutputDirectory out) {
    if (result.groupBy() == null) {
      return List.of();
    }
    List<String> keys = result.groupBy();
    List<Row> rows =
        spark
            .read()
            .parquet(out.stagingPath(OutputSchemas.PER_GROUP_DELTA))
            .orderBy(
                keys.stream()
                    .map(k -> col(k).asc_nulls_first())
                    .toArray(org.apache.spark.sql.Column[]::new))
            .limit(PLOTTED_GROUPS)
            .collectAsList();
    return rows.stream()
        .map(
            r -> {
              Map<String, Object> group = new LinkedHashMap<>();
              keys.forEach(k -> group.put(k, shown(r.get(r.fieldIndex(k)))));
              return new ComparisonCharts.GroupDelta(
                  group,
                  r.getLong(r.fieldIndex("paired_sequences")),
                  nullable(r, "delta"),
                  nullable(r, "ci_low"),
                  nullable(r, "ci_high"),
                  nullable(r, "p_value"));
            })
        .toList();
  }

  /** A key value as JSON shows it: numbers, booleans and strings as they are, dates as text. */
  private static Object shown(Object value) {
    return value == null
            || value instanceof Number
            || value instanceof Boolean
            || value instanceof String
        ? value
        : value.toString();
  }

  private static Double nullable(Row r, String column) {
    int i = r.fieldIndex(column);
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
