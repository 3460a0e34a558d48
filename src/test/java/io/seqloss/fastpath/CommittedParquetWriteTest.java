package io.seqloss.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A table written straight from internal rows through the commit protocol is the table a DataFrame
 * write of the same rows makes: a file per partition (the first even when empty, no other empty
 * one), each the same bytes under the same kind of name, and the _SUCCESS marker; a task that fails
 * fails the write and leaves no part file.
 */
@Tag("spark-4-line")
class CommittedParquetWriteTest extends SparkTestBase {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType, false)
          .add("loss", DataTypes.DoubleType, false)
          .add("tokens", DataTypes.LongType, false);

  /** An empty partition, 3 of rows and another empty one. */
  private Dataset<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      rows.add(RowFactory.create("seq-" + i, Math.sqrt(i) / 7, (long) i % 11));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
    JavaRDD<Row> data =
        jsc.parallelize(List.<Row>of(), 1)
            .union(jsc.parallelize(rows, 3))
            .union(jsc.parallelize(List.<Row>of(), 1));
    return session().createDataFrame(data, SCHEMA);
  }

  private static JavaRDD<InternalRow> internal(Dataset<Row> frame) {
    return frame.queryExecution().toRdd().toJavaRDD();
  }

  @Test
  void writesTheTableADataFrameWriteMakes() throws Exception {
    Dataset<Row> frame = rows().cache();
    Path viaFrame = tmp.resolve("frame");
    Path direct = tmp.resolve("direct");
    frame.write().format(ColumnBatchParquetFormat.NAME).save(viaFrame.toString());
    JavaRDD<InternalRow> rows = internal(frame);
    assertTrue(CommittedParquetWrite.applies(rows));
    long[] output = new long[2]; // bytes and records written, as the tasks report them
    SparkListener metrics =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            synchronized (output) {
              output[0] += end.taskMetrics().outputMetrics().bytesWritten();
              output[1] += end.taskMetrics().outputMetrics().recordsWritten();
            }
          }
        };
    session().sparkContext().addSparkListener(metrics);
    try {
      CommittedParquetWrite.write(session(), rows, SCHEMA, direct.toString());
      session().sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      session().sparkContext().removeSparkListener(metrics);
    }

    List<Path> expected = partFiles(viaFrame);
    List<Path> actual = partFiles(direct);
    assertEquals(4, expected.size(), expected.toString());
    assertEquals(expected.size(), actual.size(), actual.toString());
    for (int i = 0; i < expected.size(); i++) {
      String name = actual.get(i).getFileName().toString();
      assertTrue(name.matches("part-0000" + i + "-[0-9a-f-]{36}-c000\\.snappy\\.parquet"), name);
      assertEquals(-1L, Files.mismatch(expected.get(i), actual.get(i)), name);
    }
    assertTrue(Files.exists(direct.resolve("_SUCCESS")));
    long bytes = 0;
    for (Path part : actual) {
      bytes += Files.size(part);
    }
    synchronized (output) {
      assertEquals(bytes, output[0], "bytes written");
      assertEquals(30_000, output[1], "records written");
    }
    assertEquals(
        session().read().parquet(viaFrame.toString()).collectAsList(),
        session().read().parquet(direct.toString()).collectAsList());
  }

  @Test
  void aFailingTaskFailsTheWriteAndLeavesNoPartFile() throws IOException {
    JavaRDD<InternalRow> rows =
        internal(rows())
            .mapPartitionsWithIndex(
                (partition, it) -> {
                  if (partition == 1) {
                    throw new IllegalStateException("row 17 of partition 1 is bad");
                  }
                  return it;
                },
                false);
    Path direct = tmp.resolve("failed");

    Exception failure =
        assertThrows(
            Exception.class,
            () -> CommittedParquetWrite.write(session(), rows, SCHEMA, direct.toString()));

    boolean named = false;
    for (Throwable c = failure; c != null; c = c.getCause()) {
      named |= String.valueOf(c.getMessage()).contains("row 17 of partition 1 is bad");
    }
    assertTrue(named, failure.toString());
    assertFalse(Files.exists(direct.resolve("_SUCCESS")));
    if (Files.exists(direct)) {
      assertEquals(List.of(), partFiles(direct));
    }
  }

  @Test
  void sparksPiecesAreThereOnThisLineAndAMissingOneIsNamed() {
    assertNull(CommittedParquetWrite.problem());
    String missing =
        CommittedParquetWrite.problem(
            org.apache.spark.internal.io.FileCommitProtocol.class,
            Object.class,
            org.apache.spark.sql.internal.SQLConf.class);
    assertTrue(missing.startsWith("Spark has no Object.newHadoopConf()"), missing);
  }

  @Test
  void anRddWithoutPartitionsIsLeftToADataFrameWrite() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session().sparkContext());
    assertFalse(CommittedParquetWrite.applies(jsc.<InternalRow>emptyRDD()));
  }

  private static List<Path> partFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }
}
