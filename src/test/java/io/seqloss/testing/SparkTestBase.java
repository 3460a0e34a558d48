package io.seqloss.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-testing-base's shared local SparkSession and DataFrame assertions on the JUnit 5 lifecycle.
 * The suite base is held, not extended: JUnit 5 reflects over a test class's inherited methods, and
 * the suite base has Hive types in its signatures, which are not on this (Hive-free) classpath.
 */
public abstract class SparkTestBase {

  /** One per JVM: spark-testing-base itself keeps a single SparkContext for all suites. */
  private static final JavaDataFrameSuiteBase SUITE = new JavaDataFrameSuiteBase() {
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

  @TempDir
  protected Path tmp;

  @BeforeEach
  void startSharedSpark() {
    SUITE.runBefore();
  }

  protected SparkSession session() {
    return SUITE.spark();
  }

  /** Same rows, same order, same schema (spark-testing-base's comparison). */
  protected void assertDataFrameEquals(Dataset<Row> expected, Dataset<Row> actual) {
    SUITE.assertDataFrameEquals(expected, actual, SUITE.assertDataFrameEquals$default$3());
  }

  /** Same rows, schema and order, doubles within tolerance. */
  protected void assertDataFrameApproximateEquals(Dataset<Row> expected, Dataset<Row> actual, double tol) {
    SUITE.assertDataFrameApproximateEquals(expected, actual, tol);
  }
}
