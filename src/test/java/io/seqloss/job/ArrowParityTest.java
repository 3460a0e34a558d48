package io.seqloss.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.InputFormat;
import io.seqloss.config.InvalidRowPolicy;
import io.seqloss.config.Reduction;
import io.seqloss.input.arrow.ArrowIpcFormat;
import io.seqloss.output.OutputSchemas;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import io.seqloss.testing.RandomCorpus;
import io.seqloss.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same corpus written as Parquet and as Arrow (stream and file format) gives bit-identical
 * results for every reduction: the summary's numbers and every output row, compared exactly.
 */
class ArrowParityTest extends SparkTestBase {
  /** Varied lengths and weights, plus two invalid rows (a target out of range, a null step). */
  private static List<CorpusRow> corpus() {
    List<CorpusRow> rows = new ArrayList<>(RandomCorpus.rows(11L, 40, 9, 7, true));
    rows.add(
        CorpusRow.of(
            "bad-target", new float[][] {{1, 2, 3, 4, 5, 6, 7}}, new int[] {7}, new float[] {1}));
    rows.add(
        CorpusRow.of(
            "null-step",
            new float[][] {{1, 2, 3, 4, 5, 6, 7}, null},
            new int[] {0, 1},
            new float[] {1, 1}));
    return rows;
  }

  static Stream<Arguments> reductions() {
    return Stream.of(
        Arguments.of(Reduction.of(true, true, false, false)),
        Arguments.of(Reduction.of(false, false, true, true)),
        Arguments.of(Reduction.of(true, false, false, false)),
        Arguments.of(Reduction.of(false, false, true, false)),
        Arguments.of(Reduction.of(false, true, false, false)),
        Arguments.of(Reduction.of(false, false, false, true)),
        Arguments.of(Reduction.of(false, false, false, false)));
  }

  @ParameterizedTest
  @MethodSource("reductions")
  void arrowGivesBitIdenticalResults(Reduction reduction) throws Exception {
    List<CorpusRow> rows = corpus();
    Path parquet = Corpora.write(session(), tmp, rows, 3);
    Path stream = Corpora.writeArrow(tmp.resolve("stream"), rows, 3, ArrowIpcFormat.STREAM, 4);
    Path file = Corpora.writeArrow(tmp.resolve("file"), rows, 3, ArrowIpcFormat.FILE, 5);

    Result expected = run(reduction, parquet, null, "out-parquet");
    Result fromStream =
        run(reduction, stream, null, "out-stream"); // detected from the .arrow names
    Result fromFile = run(reduction, file, InputFormat.ARROW, "out-file");

    assertEquals(40, expected.summary().get("sequences"));
    assertEquals(2, expected.summary().get("invalid_rows"));
    assertEquals(expected, fromStream);
    assertEquals(expected, fromFile);
  }

  /** The summary without what names the run's own paths and time, and every output's rows by id. */
  record Result(Map<String, Object> summary, Map<String, List<Row>> outputs) {}

  private Result run(Reduction reduction, Path input, InputFormat format, String out)
      throws Exception {
    JobConfig config =
        JobConfig.builder()
            .inputPaths(List.of(input.toString()))
            .outputDir(tmp.resolve(out).toString())
            .reduction(reduction)
            .format(format)
            .invalidRowPolicy(InvalidRowPolicy.SKIP)
            .build();
    RunSummary summary = new SequenceLossJob(session()).run(config);
    @SuppressWarnings("unchecked")
    Map<String, Object> numbers =
        new ObjectMapper().readValue(SummaryJson.toJson(summary), Map.class);
    numbers
        .keySet()
        .removeAll(List.of("input_paths", "output_dir", "elapsed_seconds", "input_files"));
    // "taken from the first row of <file>": the same file, by its name without extension
    numbers.computeIfPresent(
        "num_classes_source",
        (k, v) -> v.toString().replaceAll("file:\\S*/(part-[0-9]+)\\.[a-z]+$", "$1"));
    Map<String, List<Row>> outputs = new java.util.TreeMap<>();
    for (String name :
        List.of(OutputSchemas.PER_SEQUENCE, OutputSchemas.PER_TIMESTEP, OutputSchemas.PER_TOKEN)) {
      Path dir = tmp.resolve(out).resolve(name);
      if (Files.isDirectory(dir)) {
        String key = name.equals(OutputSchemas.PER_TIMESTEP) ? "timestep" : "id";
        outputs.put(name, session().read().parquet(dir.toString()).orderBy(key).collectAsList());
      }
    }
    Path invalid = tmp.resolve(out).resolve(OutputSchemas.INVALID);
    assertTrue(Files.isDirectory(invalid), "invalid/ of " + out);
    // the file column and the message name the run's own file; the rest must agree
    outputs.put(
        OutputSchemas.INVALID,
        session()
            .read()
            .parquet(invalid.toString())
            .selectExpr("id", "regexp_extract(file, 'part-[0-9]+', 0)", "row", "column")
            .orderBy("id")
            .collectAsList());
    return new Result(numbers, outputs);
  }
}
