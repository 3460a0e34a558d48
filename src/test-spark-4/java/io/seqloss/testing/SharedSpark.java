package io.seqloss.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark 4 line's test session: spark-testing-base has no Spark 4 build, so a plain local
 * SparkSession with the same settings as the 3.5 line's, one per JVM, and row-by-row comparisons.
 */
final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  static synchronized void start() {
    if (spark == null || spark.sparkContext().isStopped()) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("seqloss-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.sql.session.timeZone", "UTC")
              .getOrCreate();
    }
  }

  static SparkSession session() {
    start();
    return spark;
  }

  static void assertDataFrameEquals(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema(), actual.schema());
    assertEquals(expected.collectAsList(), actual.collectAsList());
  }

  static void assertDataFrameApproximateEquals(
      Dataset<Row> expected, Dataset<Row> actual, double tol) {
    assertEquals(expected.schema(), actual.schema());
    List<Row> e = expected.collectAsList();
    List<Row> a = actual.collectAsList();
    assertEquals(e.size(), a.size(), "row count");
    for (int r = 0; r < e.size(); r++) {
      for (int c = 0; c < e.get(r).length(); c++) {
        Object x = e.get(r).get(c);
        Object y = a.get(r).get(c);
        if (x instanceof Double dx && y instanceof Double dy) {
          assertEquals(dx, dy, tol, "row " + r + ", column " + c);
        } else {
          assertEquals(x, y, "row " + r + ", column " + c);
        }
      }
    }
  }
}
