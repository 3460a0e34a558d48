package io.seqloss.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark 3.5 line's test session: spark-testing-base's shared local SparkSession and DataFrame
 * assertions. The suite base is held, not extended: JUnit 5 reflects over a test class's inherited
 * methods, and the suite base has Hive types in its signatures, which are not on this (Hive-free)
 * classpath.
 */
final class SharedSpark {

  /** One per JVM: spark-testing-base itself keeps a single SparkContext for all suites. */
  private static final JavaDataFrameSuiteBase SUITE =
      new JavaDataFrameSuiteBase() {
        @Override
        public boolean enableHiveSupport() {
          return false;
        }

        @Override
        public SparkConf conf() {
          return super.conf()
              .setMaster("local[2]")
              .set("spark.sql.shuffle.partitions", "4")
              .set("spark.sql.session.timeZone", "UTC");
        }
      };

  private SharedSpark() {}

  static void start() {
    SUITE.runBefore();
  }

  static SparkSession session() {
    return SUITE.spark();
  }

  static void assertDataFrameEquals(Dataset<Row> expected, Dataset<Row> actual) {
    SUITE.assertDataFrameEquals(expected, actual, SUITE.assertDataFrameEquals$default$3());
  }

  static void assertDataFrameApproximateEquals(
      Dataset<Row> expected, Dataset<Row> actual, double tol) {
    SUITE.assertDataFrameApproximateEquals(expected, actual, tol);
  }
}
