package io.seqloss.report;

import io.seqloss.output.DriverParquetTable;
import io.seqloss.output.OutputSchemas;
import io.seqloss.stats.LossByPosition.PositionPoint;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * loss_by_position/ of a run: its report's curve as one small Parquet file (a row per bin of steps,
 * at most 2,368), written on the driver ({@link DriverParquetTable}) and read back by compare. A
 * table rather than a summary.json section: pandas reads it in one call, and summary.json stays
 * small for XCom.
 */
public final class LossByPositionTable {
  private LossByPositionTable() {}

  public static void write(SparkSession spark, List<PositionPoint> points, String path) {
    List<Row> rows =
        points.stream()
            .map(
                p ->
                    RowFactory.create(
                        p.firstStep(),
                        p.lastStep(),
                        p.loss(),
                        p.lower(),
                        p.upper(),
                        p.weightSum(),
                        p.tokens()))
            .toList();
    DriverParquetTable.write(spark, OutputSchemas.lossByPosition(), rows, path);
  }

  /** The curve of a run's loss_by_position/, in step order. */
  public static List<PositionPoint> read(SparkSession spark, String path) {
    return spark.read().parquet(path).orderBy("first_step").collectAsList().stream()
        .map(
            r ->
                new PositionPoint(
                    r.getLong(0),
                    r.getLong(1),
                    nullable(r, 2),
                    nullable(r, 3),
                    nullable(r, 4),
                    r.getDouble(5),
                    r.getLong(6)))
        .toList();
  }

  private static Double nullable(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }
}
