package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code --conf spark.seqloss.fastPath=false} through submit.sh on wide rows (V = 300), Parquet
 * with snappy pages and Arrow: Spark's public APIs only, and the same bits as the fast paths, in
 * summary.json and in every per-sequence row. With the switch on, no fast path is turned off on
 * this Spark.
 */
class FastPathSwitchIT extends SparkTestBase {

  private Path generate(String name, String... format) throws Exception {
    Path corpus = tmp.resolve(name);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "generate",
                "--output",
                corpus.toString(),
                "--sequences",
                "30",
                "--rows-per-file",
                "10",
                "--num-classes",
                "300",
                "--min-length",
                "2",
                "--max-length",
                "12",
                "--padding-share",
                "0.25",
                "--seed",
                "31"));
    args.addAll(List.of(format));
    SubmitScriptIT.Result made = SubmitScriptIT.submit(args.toArray(String[]::new));
    assertEquals(0, made.exitCode(), made.stderr());
    return corpus;
  }

  private List<Row> perSequence(Path out) {
    return session()
        .read()
        .parquet(out.resolve("per_sequence").toString())
        .orderBy("id")
        .collectAsList();
  }

  private void assertSameBitsWithTheSwitchOff(Path corpus, String name) throws Exception {
    Path fastOut = tmp.resolve(name + "-fast");
    Path publicOut = tmp.resolve(name + "-public");
    SubmitScriptIT.Result fast =
        SubmitScriptIT.submit(
            "--input",
            corpus.toString(),
            "--output",
            fastOut.toString(),
            "--average-across-batch=false");
    assertEquals(0, fast.exitCode(), fast.stderr());
    SubmitScriptIT.Result off =
        SubmitScriptIT.submit(
            "--conf",
            "spark.seqloss.fastPath=false",
            "--input",
            corpus.toString(),
            "--output",
            publicOut.toString(),
            "--average-across-batch=false");
    assertEquals(0, off.exitCode(), off.stderr());

    assertTrue(fast.stderr().contains("reading the corpus as columnar batches"), fast.stderr());
    assertFalse(
        fast.stderr().contains("turned off"),
        "no fast path is turned off on this Spark: " + fast.stderr());
    assertTrue(
        off.stderr().contains("fast paths are off (spark.seqloss.fastPath=false)"), off.stderr());
    assertTrue(off.stderr().contains("reading the corpus row by row"), off.stderr());

    RunSummary a = SummaryJson.fromJson(Files.readString(fastOut.resolve("summary.json")));
    RunSummary b = SummaryJson.fromJson(Files.readString(publicOut.resolve("summary.json")));
    assertEquals(300, a.lossSpec().numClasses());
    assertEquals(30, a.totals().sequences());
    assertEquals(a.totals().lossSum(), b.totals().lossSum(), 0.0, name);
    assertEquals(a.totals().weightSum(), b.totals().weightSum(), 0.0);
    assertEquals(a.totals().correctSum(), b.totals().correctSum(), 0.0);
    assertEquals(a.totals().topKSum(), b.totals().topKSum(), 0.0);
    assertEquals(a.totals().tokens(), b.totals().tokens());
    assertEquals(a.lossSpec().numClasses(), b.lossSpec().numClasses());
    List<Row> fastRows = perSequence(fastOut);
    assertEquals(30, fastRows.size());
    assertEquals(fastRows, perSequence(publicOut), name + ": per-sequence rows, bit for bit");
  }

  @Test
  void wideSnappyParquetGivesTheSameBitsWithTheFastPathsOff() throws Exception {
    assertSameBitsWithTheSwitchOff(generate("wide-snappy", "--compression", "snappy"), "parquet");
  }

  /**
   * With the fast paths off, V comes from a Spark query, which must skip a row without steps on
   * Spark 4 too, where ANSI mode makes element_at throw on it (docs/semantics.md's worked example:
   * loss 0.38812).
   */
  @Test
  void vFromSparkSkipsARowWithoutStepsOnEveryLine() throws Exception {
    List<CorpusRow> rows = new java.util.ArrayList<>();
    rows.add(CorpusRow.of("no-steps", new float[0][], new int[0], new float[0]));
    rows.addAll(Corpora.workedExample());
    Path corpus = Corpora.write(session(), tmp, rows, 1);
    SubmitScriptIT.Result fast =
        SubmitScriptIT.submit(
            "--input", corpus.toString(), "--output", tmp.resolve("steps-fast").toString());
    SubmitScriptIT.Result off =
        SubmitScriptIT.submit(
            "--conf",
            "spark.seqloss.fastPath=false",
            "--input",
            corpus.toString(),
            "--output",
            tmp.resolve("steps-public").toString());
    assertEquals(0, fast.exitCode(), fast.stderr());
    assertEquals(0, off.exitCode(), off.stderr());
    RunSummary a = SummaryJson.fromJson(fast.lastLine());
    RunSummary b = SummaryJson.fromJson(off.lastLine());
    assertEquals(3, b.lossSpec().numClasses());
    assertEquals(0.38812, b.result().loss(), 5e-6);
    assertEquals(a.result().loss(), b.result().loss(), 0.0);
  }

  @Test
  void wideArrowGivesTheSameBitsWithTheFastPathsOff() throws Exception {
    assertSameBitsWithTheSwitchOff(generate("wide-arrow", "--format", "arrow"), "arrow");
  }
}
