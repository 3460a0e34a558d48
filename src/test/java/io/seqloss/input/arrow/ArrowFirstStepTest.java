package io.seqloss.input.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqloss.input.InvalidInputException;
import io.seqloss.testing.Corpora;
import io.seqloss.testing.CorpusRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowFirstStepTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  @Test
  void skipsRowsWithoutANonEmptyFirstStepAcrossRecordBatchesInBothFormats() throws Exception {
    List<CorpusRow> rows =
        List.of(
            CorpusRow.of("a", null, new int[0], null), // null logits
            CorpusRow.of("b", new float[0][], new int[0], null), // no steps
            CorpusRow.of(
                "c", new float[][] {null, {1f, 2f}}, new int[] {0, 0}, null), // first step null
            CorpusRow.of(
                "d", new float[][] {{}, {1f, 2f}}, new int[] {0, 0}, null), // first step empty
            CorpusRow.of("e", new float[][] {{1f, 2f, 3f}}, new int[] {0}, null),
            CorpusRow.of("f", new float[][] {{1f}}, new int[] {0}, null));
    for (ArrowIpcFormat format : ArrowIpcFormat.values()) {
      for (int rowsPerBatch : new int[] {1, 2, 100}) {
        Path corpus =
            Corpora.writeArrow(
                tmp.resolve(format + "-" + rowsPerBatch), rows, 1, format, rowsPerBatch);
        assertEquals(
            OptionalInt.of(3),
            ArrowFirstStep.length(onlyFile(corpus), "logits", CONF),
            format + ", " + rowsPerBatch + " rows a batch");
      }
    }
  }

  @Test
  void noRowWithANonEmptyFirstStepHasNoLength() throws Exception {
    Path corpus =
        Corpora.writeArrow(
            tmp,
            List.of(CorpusRow.of("a", new float[0][], new int[0], null)),
            1,
            ArrowIpcFormat.STREAM,
            1);
    assertEquals(OptionalInt.empty(), ArrowFirstStep.length(onlyFile(corpus), "logits", CONF));
  }

  @Test
  void aMissingColumnIsLeftToSparkAndACorruptFileIsNamed() throws Exception {
    Path corpus =
        Corpora.writeArrow(
            tmp,
            List.of(CorpusRow.of("a", new float[][] {{1f}}, new int[] {0}, null)),
            1,
            ArrowIpcFormat.STREAM,
            1);
    assertThrows(
        io.seqloss.input.UnsupportedLayout.class,
        () -> ArrowFirstStep.length(onlyFile(corpus), "scores", CONF));
    Path garbage = tmp.resolve("garbage.arrow");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ArrowFirstStep.length(garbage.toString(), "logits", CONF));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("garbage.arrow"), e.getMessage());
  }

  private static String onlyFile(Path corpus) throws Exception {
    try (var files = Files.list(corpus)) {
      return files.findFirst().orElseThrow().toString();
    }
  }
}
