package io.seqloss.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.cli.Main;
import io.seqloss.testing.SparkTestBase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class GenerateTest extends SparkTestBase {

  private static SyntheticCorpusSpec spec(
      long rowsPerFile, double padding, SyntheticCorpusSpec.IdType id) {
    return new SyntheticCorpusSpec(
        50, 3, 9, 7, padding, 42, id, rowsPerFile, "uncompressed", 1024 * 1024, 1);
  }

  @Test
  void aRowDependsOnlyOnSeedAndIndex() {
    SyntheticSequences a = new SyntheticSequences(spec(10, 0.25, SyntheticCorpusSpec.IdType.LONG));
    SyntheticSequences b = new SyntheticSequences(spec(50, 0.25, SyntheticCorpusSpec.IdType.LONG));
    for (long i = 0; i < 50; i++) {
      Row x = a.row(i);
      Row y = b.row(i);
      assertEquals(i, x.getLong(0));
      float[][] logits = (float[][]) x.get(1);
      assertEquals(
          java.util.Arrays.deepToString(logits),
          java.util.Arrays.deepToString((float[][]) y.get(1)));
      int length = logits.length;
      assertTrue(length >= 3 && length <= 9, "length " + length);
      float[] weights = (float[]) x.get(3);
      int padded = (int) Math.round(0.25 * length);
      for (int t = 0; t < length; t++) {
        assertEquals(t < length - padded ? 1f : 0f, weights[t]);
        assertEquals(7, logits[t].length);
        int target = ((int[]) x.get(2))[t];
        assertTrue(target >= 0 && target < 7);
      }
    }
    assertNotEquals(
        java.util.Arrays.deepToString((float[][]) a.row(0).get(1)),
        java.util.Arrays.deepToString((float[][]) a.row(1).get(1)));
  }

  @Test
  void theCommandWritesTheAskedFilesAndPrintsWhatItWrote() throws Exception {
    String out = tmp.resolve("corpus").toString();
    StringWriter stdout = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "generate",
              "--output",
              out,
              "--sequences",
              "25",
              "--rows-per-file",
              "10",
              "--num-classes",
              "4",
              "--min-length",
              "2",
              "--max-length",
              "5",
              "--id-type",
              "none",
              "--compression",
              "uncompressed"
            },
            this::session,
            new PrintWriter(stdout),
            new PrintWriter(new StringWriter()));
    assertEquals(0, code, stdout.toString());
    JsonNode line = new ObjectMapper().readTree(stdout.toString().trim());
    assertEquals(3, line.get("files").asInt());
    try (var files = Files.list(tmp.resolve("corpus"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".parquet")).count());
    }
    Dataset<Row> written = session().read().parquet(out);
    assertEquals(List.of("logits", "targets", "weights"), List.of(written.columns()));
    assertEquals(25, written.count());
  }

  @Test
  void badOptionsAreUsageErrors() {
    StringWriter stdout = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "generate", "--output", tmp.resolve("x").toString(), "--padding-share", "1.5"
            },
            this::session,
            new PrintWriter(stdout),
            new PrintWriter(new StringWriter()));
    assertEquals(2, code);
    assertTrue(stdout.toString().contains("--padding-share"), stdout.toString());
  }

  @Test
  void overwriteReplacesACorpusButNeverADirectoryHoldingAnythingElse() throws Exception {
    java.nio.file.Path dir = tmp.resolve("notes");
    Files.createDirectories(dir.resolve("drafts"));
    Files.writeString(dir.resolve("thesis.tex"), "years of work");
    String[] args = {"generate", "--output", dir.toString(), "--overwrite", "--sequences", "5"};
    StringWriter stdout = new StringWriter();
    int code =
        Main.run(args, this::session, new PrintWriter(stdout), new PrintWriter(new StringWriter()));
    assertEquals(2, code, stdout.toString());
    assertTrue(
        stdout
            .toString()
            .contains("--overwrite replaces only a directory of Parquet or Arrow IPC files"),
        stdout.toString());
    assertTrue(Files.exists(dir.resolve("thesis.tex")) && Files.isDirectory(dir.resolve("drafts")));
    // a generated corpus is replaced
    String[] first = {"generate", "--output", tmp.resolve("c").toString(), "--sequences", "5"};
    assertEquals(
        0,
        Main.run(
            first,
            this::session,
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter())));
    String[] again = {
      "generate", "--output", tmp.resolve("c").toString(), "--sequences", "7", "--overwrite"
    };
    assertEquals(
        0,
        Main.run(
            again,
            this::session,
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter())));
    assertEquals(7, session().read().parquet(tmp.resolve("c").toString()).count());
  }
}
