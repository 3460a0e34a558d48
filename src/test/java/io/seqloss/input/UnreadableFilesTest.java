package io.seqloss.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.CliRun;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.SparkTestBase;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corpus directory with truncated Parquet files among good ones: with --on-invalid=fail the run
 * stops with exit code 3 naming the file; with skip the files are left out and listed with the
 * reason in summary.json, which says their rows could not be counted. Never a silent drop.
 */
class UnreadableFilesTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GOOD_FILES = 3;
  private static final int ROWS = 9;

  private Path corpus;
  private Path truncated;
  private Path empty;

  @BeforeEach
  void corpusWithTruncatedFiles() throws IOException {
    List<CorpusRow> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(
          CorpusRow.of(
              "s" + i, new float[][] {{i, 1, 0}, {0, i, 1}}, new int[] {0, 2}, new float[] {1, 1}));
    }
    corpus = Corpora.write(session(), tmp, rows, GOOD_FILES);
    // A copy of a good file cut in half, as a writer killed mid-file or an interrupted copy leaves
    // it,
    // and a file cut to nothing.
    Path good = corpus.resolve("part-001.parquet");
    truncated = corpus.resolve("part-001-truncated.parquet");
    Files.copy(good, truncated);
    try (RandomAccessFile file = new RandomAccessFile(truncated.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }
    empty = Files.createFile(corpus.resolve("part-002-empty.parquet"));
  }

  @Test
  void failModeExitsWith3NamingTheFile() {
    CliRun r = run("fail");
    assertEquals(3, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains(truncated.getFileName().toString()), r.stderr());
    assertTrue(
        r.stderr().contains("--on-invalid=skip"), "the message says how to go on: " + r.stderr());
    JsonNode failed = json(r);
    assertEquals("failed", failed.get("status").asText());
    assertEquals(3, failed.get("exit_code").asInt());
    assertTrue(failed.get("error").asText().contains(truncated.getFileName().toString()));
    assertFalse(Files.exists(tmp.resolve("out")), "no output from a failed run");
  }

  @Test
  void skipModeListsTheFilesAndSaysTheirRowsWereNotCounted() throws IOException {
    CliRun r = run("skip");
    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode summary = JSON.readTree(tmp.resolve("out/summary.json").toFile());
    assertEquals(json(r), summary, "stdout's last line is summary.json");

    assertEquals(GOOD_FILES, summary.get("input_files").asInt());
    assertEquals(ROWS, summary.get("input_rows").asLong(), "the rows of the readable files");
    assertEquals(ROWS, summary.get("sequences").asLong());
    assertFalse(summary.get("all_input_rows_counted").asBoolean());
    JsonNode skipped = summary.get("skipped_files");
    assertEquals(2, skipped.size());
    assertTrue(
        skipped.get(0).get("file").asText().endsWith(truncated.getFileName().toString()),
        skipped.toString());
    assertTrue(
        skipped.get(1).get("file").asText().endsWith(empty.getFileName().toString()),
        skipped.toString());
    for (JsonNode file : skipped) {
      assertTrue(
          file.get("reason").asText().startsWith("cannot read the Parquet footer"),
          file.toString());
    }
    assertTrue(
        r.stderr().contains("2 unreadable file(s) skipped, their rows not counted"), r.stderr());
  }

  @Test
  void aDamagedPageBehindAnIntactFooterIsAnInputErrorInEitherMode() throws IOException {
    Path damaged = Files.createDirectories(tmp.resolve("damaged"));
    Files.copy(corpus.resolve("part-000.parquet"), damaged.resolve("a.parquet"));
    Path file = damaged.resolve("b.parquet");
    Files.copy(corpus.resolve("part-001.parquet"), file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(4); // just after the leading magic: the first page header
      f.write(new byte[64]);
    }
    for (String mode : List.of("fail", "skip")) {
      CliRun r = run(mode, damaged);
      assertEquals(3, r.exitCode(), mode + ": " + r.stderr());
      assertTrue(json(r).get("error").asText().contains(file.getFileName().toString()), r.stdout());
    }
  }

  @Test
  void skipModeWithNoReadableFileIsAnInputError() throws IOException {
    Path onlyBad = Files.createDirectories(tmp.resolve("only-bad"));
    Files.copy(truncated, onlyBad.resolve("a.parquet"));
    CliRun r = run("skip", onlyBad);
    assertEquals(3, r.exitCode(), r.stderr());
    assertTrue(r.stderr().contains("no input file is readable"), r.stderr());
  }

  @Test
  void footersReadOnTheDriverAndInAJobAgree() {
    List<String> files =
        java.util.stream.Stream.of(
                "part-000.parquet",
                "part-001-truncated.parquet",
                "part-001.parquet",
                "part-002-empty.parquet",
                "part-002.parquet")
            .map(f -> corpus.resolve(f).toString())
            .toList();
    List<ParquetFooters.Footer> onDriver = ParquetFooters.read(session(), files); // 5 <= 32
    session().conf().set("spark.sql.sources.parallelPartitionDiscovery.threshold", "0");
    List<ParquetFooters.Footer> inAJob;
    try {
      inAJob = ParquetFooters.read(session(), files);
    } finally {
      session().conf().unset("spark.sql.sources.parallelPartitionDiscovery.threshold");
    }
    assertEquals(inAJob, onDriver);
    // 9 rows over the 3 good files, in the order given; the two damaged files named as such
    assertEquals(
        ROWS,
        onDriver.stream().filter(ParquetFooters.Footer::readable).mapToLong(f -> f.rows()).sum());
    assertEquals(
        List.of(true, false, true, false, true),
        onDriver.stream().map(ParquetFooters.Footer::readable).toList());
    assertTrue(
        onDriver.get(1).error().startsWith("cannot read the Parquet footer"),
        onDriver.get(1).error());
  }

  @Test
  void aCleanCorpusCountsAllRows() {
    Path clean = corpus.resolve("part-000.parquet");
    CliRun r = run("fail", clean);
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(json(r).get("all_input_rows_counted").asBoolean());
    assertEquals(0, json(r).get("skipped_files").size());
  }

  private CliRun run(String onInvalid) {
    return run(onInvalid, corpus);
  }

  private CliRun run(String onInvalid, Path input) {
    return CliRun.of(
        session(),
        "--input",
        input.toString(),
        "--output",
        tmp.resolve("out").toString(),
        "--on-invalid",
        onInvalid);
  }

  private static JsonNode json(CliRun run) {
    try {
      return JSON.readTree(run.lastStdoutLine());
    } catch (IOException e) {
      throw new AssertionError("stdout's last line is not JSON: " + run.stdout(), e);
    }
  }
}
