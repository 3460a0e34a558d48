package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqloss.testing.SubmitProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.PrimitiveType;

/**
 * What the report browser tests share: runs through submit.sh into a work directory, and the rows
 * of an output's Parquet table read with Parquet's own example reader (not Spark, not seqloss).
 */
final class ReportRuns {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private final Path work;

  ReportRuns(Path work) {
    this.work = work;
  }

  /** Runs submit.sh with the arguments, expects exit 0, and returns work/name. */
  Path submit(String name, String... args) {
    deleteTree(work.resolve(name)); // an output left by an earlier build of the tests
    SubmitProcess p = SubmitProcess.run(work.resolve("logs"), name, TIMEOUT, List.of(args));
    assertEquals(0, p.exitCode(), p.describe());
    return work.resolve(name);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row of the .parquet files in dir. */
  static List<Group> rows(Path dir) throws IOException {
    List<Group> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<Group> reader =
            ParquetReader.builder(
                    new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration())
                .build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            rows.add(g);
          }
        }
      }
    }
    return rows;
  }

  /** A row's id: a long or a string, as the table stores it. */
  static Object id(Group g) {
    return g.getType().getType("id").asPrimitiveType().getPrimitiveTypeName()
            == PrimitiveType.PrimitiveTypeName.INT64
        ? (Object) g.getLong("id", 0)
        : g.getString("id", 0);
  }
}
