package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.Reduction;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * per_sequence/'s id column for every kind of id, through a run (on this Spark, Spark's internal
 * rows carry them to the writer): strings as they are, non-ASCII ones included; long ids; int ids
 * widened to long; derived ids as {@code <file>#<row>}. Each row's loss_sum is the worked example's
 * by hand (docs/semantics.md): 1.5062182531 for the first sequence, 0.4343777678 for the second.
 */
@Tag("spark-4-line")
class PerSequenceIdsTest extends io.seqloss.testing.SparkTestBase {
  private static final double EPS = 1e-9;

  private List<Row> perSequence(Path corpus, Reduction reduction, String out) {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .perSequence(true)
            .build();
    new SequenceLossJob(session()).run(config);
    return session()
        .read()
        .parquet(tmp.resolve(out).resolve("per_sequence").toString())
        .orderBy("loss_sum")
        .collectAsList();
  }

  /** The worked example with the given ids (null: no id column). */
  private Path corpus(String name, Object first, Object second) {
    List<CorpusRow> rows = new ArrayList<>();
    List<Object> ids = java.util.Arrays.asList(first, second);
    for (int i = 0; i < 2; i++) {
      CorpusRow r = Corpora.workedExample().get(i);
      rows.add(CorpusRow.of(ids.get(i), r.logits(), r.targets(), r.weights()));
    }
    return Corpora.write(session(), tmp.resolve(name), rows, 1);
  }

  private static void assertSums(List<Row> rows) {
    assertEquals(2, rows.size());
    assertEquals(0.4343777678, rows.get(0).getDouble(6), EPS);
    assertEquals(1.5062182531, rows.get(1).getDouble(6), EPS);
  }

  @Test
  void stringIdsAsciiOrNotAreWrittenAsTheyAre() {
    List<Row> rows =
        perSequence(corpus("strings", "Zürich-東京-😀", "row1"), Reduction.tensorflowDefault(), "s");
    assertSums(rows);
    assertEquals("row1", rows.get(0).getString(0));
    assertEquals("Zürich-東京-😀", rows.get(1).getString(0));
  }

  @Test
  void longIdsInAScalarRunAndInAPerSequenceRun() {
    Path corpus = corpus("longs", 7_000_000_000L, -3L);
    for (Reduction reduction :
        List.of(Reduction.tensorflowDefault(), Reduction.of(true, false, false, false))) {
      List<Row> rows = perSequence(corpus, reduction, "l" + reduction.shape());
      assertSums(rows);
      assertEquals(DataTypes.LongType, rows.get(0).schema().apply("id").dataType());
      assertEquals(-3L, rows.get(0).getLong(0));
      assertEquals(7_000_000_000L, rows.get(1).getLong(0));
    }
  }

  @Test
  void intIdsAreWidenedToLong() {
    DataType idType = DataTypes.IntegerType;
    List<Row> in = new ArrayList<>();
    int[] ids = {41, -5};
    for (int i = 0; i < 2; i++) {
      CorpusRow r = Corpora.workedExample().get(i);
      in.add(
          RowFactory.create(
              ids[i],
              Corpora.toNested(r.logits()),
              Corpora.boxed(r.targets()),
              Corpora.boxed(r.weights())));
    }
    Path corpus = tmp.resolve("ints");
    Corpora.writeOneFile(
        session(), in, Corpora.schema(true, idType, true), corpus.resolve("part-000.parquet"));
    List<Row> rows = perSequence(corpus, Reduction.tensorflowDefault(), "i");
    assertSums(rows);
    assertEquals(DataTypes.LongType, rows.get(0).schema().apply("id").dataType());
    assertEquals(-5L, rows.get(0).getLong(0));
    assertEquals(41L, rows.get(1).getLong(0));
  }

  @Test
  void derivedIdsAreFileHashRow() {
    List<Row> rows = perSequence(corpus("derived", null, null), Reduction.tensorflowDefault(), "d");
    assertSums(rows);
    String second = rows.get(0).getString(0);
    String first = rows.get(1).getString(0);
    assertTrue(first.startsWith("file:") && first.endsWith("/part-000.parquet#0"), first);
    assertEquals(first.substring(0, first.length() - 1) + "1", second);
  }
}
