package io.seqloss.e2e;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.GroupedCorpus;
import io.seqloss.testing.GroupedCorpus.Labelled;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * Slices and error bars through ./submit.sh (local mode, the default 2 GB driver): groups by a
 * string and a date column with length buckets, a bootstrap that reruns to the same bits, a usage
 * error for a missing column, and a column of a million distinct values.
 */
class SlicesIT extends SparkTestBase {
  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();

  record Result(int exitCode, String stdout, String stderr) {
    RunSummary summary() {
      String[] lines = stdout.strip().split("\n");
      return SummaryJson.fromJson(lines[lines.length - 1]);
    }
  }

  static Result submit(int timeoutMinutes, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(HOME.resolve("submit.sh").toString(), "--conf", "spark.ui.enabled=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile());
    builder.environment().remove("SPARK_HOME");
    Path stdout = Files.createTempFile("submit", ".out");
    Path stderr = Files.createTempFile("submit", ".err");
    Process process =
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("submit.sh did not finish in " + timeoutMinutes + " minutes");
    }
    return new Result(
        process.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void groupsAndErrorBarsEndToEnd() throws Exception {
    List<CorpusRow> random = RandomCorpus.rows(5, 90, 8, 4, true);
    List<Labelled> rows = new ArrayList<>();
    String[] domains = {"news", "code", null};
    for (int i = 0; i < random.size(); i++) {
      rows.add(
          new Labelled(
              random.get(i),
              Arrays.asList(domains[i % 3], Date.valueOf("2026-11-0" + (1 + i % 2)))));
    }
    Path corpus =
        GroupedCorpus.write(
            session(),
            tmp,
            "corpus",
            rows,
            List.of(
                GroupedCorpus.field("domain", DataTypes.StringType),
                GroupedCorpus.field("day", DataTypes.DateType)),
            3);
    String out = tmp.resolve("out").toString();
    String[] args = {
      "--input",
      corpus.toString(),
      "--output",
      out,
      "--group-by",
      "domain,day",
      "--length-buckets",
      "4",
      "--bootstrap",
      "50",
      "--bootstrap-seed",
      "9",
      "--confidence",
      "0.9"
    };
    Result r = submit(10, args);
    assertEquals(0, r.exitCode(), r.stderr());
    RunSummary s = r.summary();
    assertEquals(3 * 2 * 2, s.slices().groups());
    assertEquals(List.of("domain", "day"), s.slices().groupBy());
    assertEquals(0.9, s.uncertainty().confidenceLevel());
    assertEquals(50, s.uncertainty().bootstrap().replicates());
    assertTrue(r.stderr().contains("12 group(s) in per_group/"), r.stderr());
    List<Row> perGroup = session().read().parquet(out + "/per_group").collectAsList();
    assertEquals(12, perGroup.size());
    assertEquals(
        DataTypes.DateType,
        session().read().parquet(out + "/per_group").schema().apply("day").dataType());
    long sequences = 0;
    for (RunSummary.GroupResult g : s.slices().groupResults()) {
      sequences += g.sequences();
      assertTrue(g.group().get("day").toString().startsWith("2026-11-0"), g.group().toString());
      assertTrue(
          g.group().get("length_bucket").equals("[0, 4)")
              || g.group().get("length_bucket").equals("[4, inf)"));
    }
    assertEquals(90, sequences);
    assertTrue(Files.notExists(Path.of(out, "group-partials")), "the partials are removed");

    Result again = submit(10, args);
    assertEquals(0, again.exitCode(), again.stderr());
    assertEquals(s.uncertainty().bootstrap(), again.summary().uncertainty().bootstrap());
    assertEquals(s.slices(), again.summary().slices());

    Result missing =
        submit(
            5,
            "--input",
            corpus.toString(),
            "--output",
            tmp.resolve("m").toString(),
            "--group-by",
            "language");
    assertEquals(2, missing.exitCode(), missing.stderr());
    assertTrue(
        missing.stderr().contains("--group-by column 'language' is not a column"),
        missing.stderr());
  }

  @Test
  void aMillionGroupsRunInLocalModeWithTheDefaultDriver() throws Exception {
    int n = 1_000_000;
    Path corpus = tmp.resolve("million");
    session()
        .range(n)
        .select(
            col("id"),
            array(array(lit(0.5f), col("id").mod(3).cast("float"))).as("logits"),
            array(col("id").mod(2).cast("int")).as("targets"),
            array(lit(1.0f)).as("weights"),
            concat(lit("g"), col("id").cast("string")).as("group"))
        .repartition(8)
        .write()
        .parquet(corpus.toString());
    String out = tmp.resolve("million-out").toString();
    Result r = submit(25, "--input", corpus.toString(), "--output", out, "--group-by", "group");
    assertEquals(0, r.exitCode(), r.stderr());
    RunSummary s = r.summary();
    assertEquals(n, s.slices().groups());
    assertNull(s.slices().groupResults(), "more than 1,000 groups are not listed in summary.json");
    assertEquals(n, session().read().parquet(out + "/per_group").count());
    assertEquals(n, s.totals().sequences());
  }
}
