package io.seqloss.testing;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared local SparkSession and DataFrame assertions on the JUnit 5 lifecycle. The session comes
 * from {@link SharedSpark}, which each Spark line provides (src/test-spark-3: spark-testing-base;
 * src/test-spark-4: a plain local session). Tagged, so that a line can leave session tests out.
 */
@Tag("spark-session")
public abstract class SparkTestBase {

  @TempDir protected Path tmp;

  @BeforeEach
  void startSharedSpark() {
    SharedSpark.start();
  }

  protected SparkSession session() {
    return SharedSpark.session();
  }

  /** Same rows, same order, same schema. */
  protected void assertDataFrameEquals(Dataset<Row> expected, Dataset<Row> actual) {
    SharedSpark.assertDataFrameEquals(expected, actual);
  }

  /** Same rows, schema and order, doubles within tolerance. */
  protected void assertDataFrameApproximateEquals(
      Dataset<Row> expected, Dataset<Row> actual, double tol) {
    SharedSpark.assertDataFrameApproximateEquals(expected, actual, tol);
  }
}
