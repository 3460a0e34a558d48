package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.output.RunSummary;
import io.seqloss.output.SummaryJson;
import io.seqloss.testing.Markdown;
import io.seqloss.testing.SentimentSample;
import io.seqloss.testing.SubmitProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's loss, compiled here against the application jar into a jar of its own, and loaded by
 * {@code ./submit.sh --jars} on the driver and in the executors.
 */
class LossPluginIT {
  /**
   * The custom loss of docs/losses.md, compiled from the page itself so that the page stays true.
   */
  private static String hingeFromThePage() {
    return Markdown.blocks(Markdown.home().resolve("docs/losses.md")).stream()
        .filter(b -> b.lang().equals("java") && b.text().contains("class HingeLoss"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("docs/losses.md shows no HingeLoss"))
        .text();
  }

  private static final String NOT_A_LOSS =
      """
      package com.example;

      public class NotALoss {
        public double loss(double[] logits, int numClasses, int target) {
          return 0.0;
        }
      }
      """;

  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();

  @TempDir static Path tmp;
  static Path pluginJar;

  @BeforeAll
  static void buildPluginJar() throws Exception {
    Path src = tmp.resolve("src/com/example");
    Files.createDirectories(src);
    Files.writeString(src.resolve("HingeLoss.java"), hingeFromThePage());
    Files.writeString(src.resolve("NotALoss.java"), NOT_A_LOSS);
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-classpath",
            SubmitProcess.applicationJar().toString(),
            "-d",
            classes.toString(),
            src.resolve("HingeLoss.java").toString(),
            src.resolve("NotALoss.java").toString());
    assertEquals(0, rc, "javac failed");
    pluginJar = tmp.resolve("my-losses.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(pluginJar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        try (var in = Files.newInputStream(file)) {
          in.transferTo((OutputStream) jar);
        }
        jar.closeEntry();
      }
    }
  }

  private SubmitScriptIT.Result submit(String loss, String out)
      throws IOException, InterruptedException {
    return SubmitScriptIT.submit(
        "--jars",
        pluginJar.toString(),
        "--input",
        HOME.resolve("examples/sentiment/sentiment.parquet").toString(),
        "--output",
        tmp.resolve(out).toString(),
        "--loss",
        loss);
  }

  /** The hinge loss of the bundled sentiment corpus, by hand. */
  static double expectedHinge() {
    double num = 0;
    double den = 0;
    for (int b = 0; b < SentimentSample.BATCH; b++) {
      for (int t = 0; t < SentimentSample.STEPS; t++) {
        int y = SentimentSample.target(b, t);
        double margin = 1.0 + SentimentSample.logit(b, t, 1 - y) - SentimentSample.logit(b, t, y);
        num += Math.max(0.0, margin) * SentimentSample.MASK[b][t];
        den += SentimentSample.MASK[b][t];
      }
    }
    return num / den;
  }

  @Test
  void pluginLossFromItsOwnJar() throws Exception {
    SubmitScriptIT.Result run = submit("com.example.HingeLoss", "hinge");
    assertEquals(0, run.exitCode(), run.toString());
    RunSummary summary = SummaryJson.fromJson(run.lastLine());
    assertEquals("com.example.HingeLoss", summary.lossSpec().lossFunction());
    assertEquals(expectedHinge(), summary.result().loss(), 1e-12);
    assertEquals(
        null,
        summary.result().perplexity(),
        "a user loss is not a cross-entropy unless it says so");
    assertTrue(Files.isRegularFile(tmp.resolve("hinge/summary.json")));
  }

  @Test
  void wrongClassNamesAreUsageErrors() throws Exception {
    SubmitScriptIT.Result missing = submit("com.example.Missing", "missing");
    assertEquals(2, missing.exitCode(), missing.toString());
    assertTrue(
        missing.stderr().contains("--loss com.example.Missing: class not found on the classpath"),
        missing.toString());

    SubmitScriptIT.Result notALoss = submit("com.example.NotALoss", "not-a-loss");
    assertEquals(2, notALoss.exitCode(), notALoss.toString());
    assertTrue(
        notALoss
            .stderr()
            .contains(
                "--loss com.example.NotALoss: class does not implement io.seqloss.loss.TokenLoss"),
        notALoss.toString());
    Map<?, ?> failed = new ObjectMapper().readValue(notALoss.lastLine(), Map.class);
    assertEquals(List.of("failed", 2), List.of(failed.get("status"), failed.get("exit_code")));
  }
}
