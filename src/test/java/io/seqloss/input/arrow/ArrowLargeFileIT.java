package io.seqloss.input.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Arrow file larger than the whole JVM heap of the run that evaluates it: the source streams it
 * one record batch at a time. Runs through submit.sh with a 512 MB driver (local mode: executors
 * inside).
 */
class ArrowLargeFileIT {
  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  private static final int ROWS = 2400;
  private static final int STEPS = 64;
  private static final int CLASSES = 1000;

  @TempDir Path tmp;

  @Test
  void evaluatesAFileLargerThanTheHeap() throws Exception {
    Path file = tmp.resolve("large.arrow");
    double lossSum = 0;
    java.util.Random random = new java.util.Random(42);
    float[][] logits = new float[STEPS][CLASSES];
    int[] targets = new int[STEPS];
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        ArrowCorpusWriter writer =
            ArrowCorpusWriter.open(
                out, ArrowIpcFormat.STREAM, ArrowCorpusWriter.IdType.LONG, false, 16, null)) {
      for (int b = 0; b < ROWS; b++) {
        for (int t = 0; t < STEPS; t++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < CLASSES; c++) {
            logits[t][c] = random.nextFloat() * 10f;
            max = Math.max(max, logits[t][c]);
          }
          targets[t] = random.nextInt(CLASSES);
          double sum = 0;
          for (int c = 0; c < CLASSES; c++) {
            sum += Math.exp(logits[t][c] - max);
          }
          lossSum += max + Math.log(sum) - logits[t][targets[t]];
        }
        writer.write((long) b, logits, targets, null);
      }
    }
    long size = Files.size(file);
    assertTrue(size > 600L << 20, "file of " + size + " bytes");

    Path stdout = tmp.resolve("stdout");
    Process p =
        new ProcessBuilder(
                List.of(
                    HOME.resolve("submit.sh").toString(),
                    "--driver-memory",
                    "512m",
                    "--input",
                    file.toString(),
                    "--output",
                    tmp.resolve("out").toString()))
            .directory(HOME.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out");
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(stdout);
    JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals(ROWS, summary.path("sequences").asLong());
    assertEquals((long) ROWS * STEPS, summary.path("tokens").asLong());
    double expected = lossSum / ((double) ROWS * STEPS);
    assertEquals(expected, summary.path("loss").asDouble(), Math.abs(expected) * 1e-12);
  }
}
