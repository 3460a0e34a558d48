package io.seqloss.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.config.Reduction;
import io.seqloss.input.Corpus;
import io.seqloss.input.CorpusReader;
import io.seqloss.job.JobConfig;
import io.seqloss.job.SequenceLossJob;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The report's statistics are exact and their merges order-free: the same corpus in 1, 3 and 17
 * partitions gives the same report.html, byte for byte, once the run's time and directory are left
 * out.
 */
class ReportPartitionIndependenceTest extends SparkTestBase {

  private String report(
      Path corpus, Reduction reduction, UnaryOperator<Dataset<Row>> split, String out)
      throws IOException {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(corpus.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .reportWorst(30)
            .build();
    Corpus read = new CorpusReader(session()).read(config.inputPaths(), config.columns());
    new SequenceLossJob(session())
        .run(config, new Corpus(split.apply(read.rows()), read.layout(), read.files()));
    String html = Files.readString(tmp.resolve(out).resolve("report.html"));
    return html.replaceAll(
        "data-key=\"(elapsed_seconds|output_dir)\" data-value=\"[^\"]*\">[^<]*<", "");
  }

  @Test
  void sameReportInAnyPartitioning() throws IOException {
    Path corpus = Corpora.write(session(), tmp, RandomCorpus.rows(9, 170, 12, 7, false), 17);
    for (Reduction r :
        List.of(Reduction.tensorflowDefault(), Reduction.of(false, false, true, true))) {
      String whole = report(corpus, r, d -> d.coalesce(1), "p1");
      assertTrue(whole.contains("id=\"table-worst\""));
      assertEquals(
          30,
          whole.split("<tr><td>", -1).length - 1 - 15,
          "30 worst rows beside 15 calibration rows");
      assertEquals(whole, report(corpus, r, d -> d.repartition(3), "p3"), r.toString());
      assertEquals(whole, report(corpus, r, d -> d.repartition(17), "p17"), r.toString());
    }
  }
}
