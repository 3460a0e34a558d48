package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * --on-invalid=skip: invalid rows are excluded, listed with reasons, and counted; nothing else
 * changes.
 */
class SkipInvalidRowsTest extends SparkTestBase {

  @Test
  void invalidRowsAreListedCountedAndExcluded() throws IOException {
    List<CorpusRow> valid = RandomCorpus.rows(11, 30, 6, 4, true);
    List<CorpusRow> mixed = new ArrayList<>(valid);
    float[][] ok = {{1, 2, 3, 4}};
    mixed.add(5, CorpusRow.of("bad-target", ok, new int[] {4}, new float[] {1}));
    mixed.add(
        9,
        CorpusRow.of(
            "bad-nan", new float[][] {{1, Float.NaN, 3, 4}}, new int[] {0}, new float[] {1}));
    mixed.add(14, CorpusRow.of("bad-length", ok, new int[] {0, 1}, new float[] {1, 1}));
    mixed.add(20, CorpusRow.of("bad-v", new float[][] {{1, 2, 3}}, new int[] {0}, new float[] {1}));
    mixed.add(21, CorpusRow.of("bad-null", null, new int[] {0}, new float[] {1}));

    Path mixedCorpus = Corpora.write(session(), tmp.resolve("mixed"), mixed, 3);
    Path validCorpus = Corpora.write(session(), tmp.resolve("valid"), valid, 2);
    RunSummary skipped =
        new SequenceLossJob(session())
            .run(
                JobConfig.builder()
                    .inputPaths(List.of(mixedCorpus.toString()))
                    .outputDir(tmp.resolve("out").toString())
                    .numClasses(4)
                    .invalidRowPolicy(InvalidRowPolicy.SKIP)
                    .build());
    RunSummary clean =
        new SequenceLossJob(session())
            .run(
                JobConfig.builder()
                    .inputPaths(List.of(validCorpus.toString()))
                    .outputDir(tmp.resolve("clean").toString())
                    .numClasses(4)
                    .build());

    assertEquals(35, skipped.totals().inputRows());
    assertEquals(5, skipped.totals().invalidRows());
    assertEquals(30, skipped.totals().sequences());
    assertEquals(
        skipped.totals().inputRows(),
        skipped.totals().sequences() + skipped.totals().invalidRows());
    assertEquals(clean.totals().tokens(), skipped.totals().tokens());
    assertEquals(
        Double.doubleToLongBits(clean.result().loss()),
        Double.doubleToLongBits(skipped.result().loss()));
    assertEquals("invalid/", skipped.output().outputs().get("invalid"));

    List<Row> invalid =
        session()
            .read()
            .parquet(tmp.resolve("out/invalid").toString())
            .orderBy("id")
            .collectAsList();
    assertEquals(5, invalid.size());
    assertEquals("bad-length", invalid.get(0).getString(0));
    assertTrue(
        invalid
            .get(0)
            .getString(4)
            .contains("column 'targets': has length 2 but logits has length 1"));
    assertEquals("bad-nan", invalid.get(1).getString(0));
    assertTrue(invalid.get(1).getString(4).contains("class 1 is NaN"));
    assertEquals("bad-null", invalid.get(2).getString(0));
    assertEquals("logits", invalid.get(2).getString(3));
    assertEquals("bad-target", invalid.get(3).getString(0));
    assertTrue(invalid.get(3).getString(4).contains("target 4; expected a class id in [0, 4)"));
    assertEquals("bad-v", invalid.get(4).getString(0));
    assertTrue(invalid.get(4).getString(1).endsWith(".parquet"));

    RunSummary onDisk = SummaryJson.fromJson(Files.readString(tmp.resolve("out/summary.json")));
    assertEquals(skipped.totals().invalidRows(), onDisk.totals().invalidRows());
    assertEquals(skipped.result().loss(), onDisk.result().loss());
  }
}
