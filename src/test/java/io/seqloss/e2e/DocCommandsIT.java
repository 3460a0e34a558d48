package io.seqloss.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.Markdown;
import io.seqloss.testing.SentimentSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell blocks of README.md and docs/ that name a method of this class, run as written: each
 * test takes its commands from the pages, so a changed page is a changed test.
 */
class DocCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME = Markdown.home();

  @TempDir Path tmp;

  record Result(int exitCode, String stdout, String stderr) {
    String lastLine() {
      String[] lines = stdout.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  /** The commands of every block whose "Tested by" line names the method. */
  private static List<String> documented(String method) {
    List<String> commands = new ArrayList<>();
    for (Markdown.Block block : Markdown.blocks("bash")) {
      if (block.after().contains("`DocCommandsIT." + method + "`")) {
        commands.addAll(Markdown.commands(block));
      }
    }
    assertFalse(commands.isEmpty(), "no page shows commands tested by " + method);
    return commands;
  }

  /** Runs one command line with bash in the project directory. */
  private static Result bash(String command, Map<String, String> env)
      throws IOException, InterruptedException {
    return bash(command, env, HOME);
  }

  private static Result bash(String command, Map<String, String> env, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(dir.toFile());
    builder.environment().remove("SPARK_HOME");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("doc-command", ".out");
    Path err = Files.createTempFile("doc-command", ".err");
    Process p =
        builder
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish in 5 minutes: " + command);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void clusterCommandsReachSparkSubmitAsWritten() throws Exception {
    Map<String, String> env = new TreeMap<>();
    int submits = 0;
    for (String command : documented("clusterCommandsReachSparkSubmitAsWritten")) {
      if (command.startsWith("export ")) {
        String[] kv = command.substring("export ".length()).split("=", 2);
        env.put(kv[0], kv[1]);
        continue;
      }
      assertTrue(command.startsWith("./submit.sh "), command);
      assertTrue(env.containsKey("SPARK_HOME"), "the page sets SPARK_HOME before " + command);
      Result dry = bash(command + " --dry-run", env);
      assertEquals(0, dry.exitCode(), command + ": " + dry.stderr());
      String submit = dry.stdout().strip();
      assertTrue(submit.startsWith(env.get("SPARK_HOME") + "/bin/spark-submit "), submit);
      assertTrue(submit.contains("--class io.seqloss.cli.Main"), submit);
      for (String word : command.substring("./submit.sh ".length()).split("\\s+")) {
        assertTrue(
            submit.contains(" " + word),
            "'" + word + "' of '" + command + "' is not passed on: " + submit);
      }
      submits++;
    }
    assertTrue(submits >= 3, "YARN, Kubernetes and standalone: " + submits);
  }

  @Test
  void generateCommandsAsWritten() throws Exception {
    for (String command : documented("generateCommandsAsWritten")) {
      assertTrue(
          command.startsWith("./submit.sh generate ") && command.contains(" --output data/"),
          command);
      Path corpus = tmp.resolve(command.replaceFirst(".* --output data/(\\S+).*", "$1"));
      Result made = bash(command.replace(" --output data/", " --output " + tmp + "/"), Map.of());
      assertEquals(0, made.exitCode(), command + ": " + made.stderr());
      JsonNode written = JSON.readTree(made.lastLine());
      assertEquals(100, written.path("sequences").asInt(), made.lastLine());
      assertTrue(Files.exists(corpus.resolve("_SUCCESS")), "committed: " + corpus);
    }
  }

  @Test
  void standaloneClusterSessionAsWritten() throws Exception {
    Map<String, String> env = Map.of("SEQLOSS_CLUSTER_DIR", tmp.resolve("cluster").toString());
    List<String> commands = documented("standaloneClusterSessionAsWritten");
    try {
      for (String command : commands) {
        if (command.startsWith("mvn ")) {
          assertTrue(
              Files.isRegularFile(HOME.resolve("target/spark-classpath-3.5.txt")),
              "mvn package ran before");
          continue;
        }
        String run =
            command.equals("cluster/standalone.sh start")
                ? command
                    + " --ttl 900 --owner "
                    + ProcessHandle.current().pid() // never outlive the test
                : command;
        Result r = bash(run, env);
        String word = command.split("\\s+")[1];
        if (command.startsWith("./submit.sh")) {
          assertEquals(0, r.exitCode(), r.stderr());
          assertEquals(
              SentimentSample.expectedLoss(),
              JSON.readTree(r.lastLine()).path("loss").asDouble(),
              1e-12);
        } else if (word.equals("start")) {
          assertEquals(0, r.exitCode(), r.stderr());
          assertTrue(r.lastLine().matches("spark://127\\.0\\.0\\.1:\\d+"), r.stdout());
        } else if (word.equals("status")) {
          assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
          assertTrue(r.stdout().contains("worker-2: running"), r.stdout());
        } else {
          assertEquals(0, r.exitCode(), command + ": " + r.stderr());
        }
      }
      Result after = bash("cluster/standalone.sh status", env);
      assertTrue(
          after.exitCode() != 0 && !after.stdout().contains(": running"),
          "stop leaves nothing running: " + after.stdout());
    } finally {
      bash("cluster/standalone.sh stop", env);
    }
  }

  /**
   * The custom loss of docs/losses.md: its source, then its javac, jar and submit.sh lines, run in
   * a directory of the user's own that holds target/ (a link to the build) and a corpus in data/.
   */
  @Test
  void customLossCommandsAsWritten() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("my-project"));
    Files.createSymbolicLink(work.resolve("target"), HOME.resolve("target"));
    Files.createDirectories(work.resolve("data"));
    Files.copy(
        HOME.resolve("examples/sentiment/sentiment.parquet"),
        work.resolve("data/sentiment.parquet"));
    Markdown.Block source =
        Markdown.blocks(HOME.resolve("docs/losses.md")).stream()
            .filter(b -> b.lang().equals("java"))
            .findFirst()
            .orElseThrow();
    Files.createDirectories(work.resolve("com/example"));
    Files.writeString(work.resolve("com/example/HingeLoss.java"), source.text());

    Result last = null;
    for (String command : documented("customLossCommandsAsWritten")) {
      last =
          bash(
              command.replaceFirst("^\\./submit\\.sh ", HOME.resolve("submit.sh") + " "),
              Map.of(),
              work);
      assertEquals(0, last.exitCode(), command + ": " + last.stderr());
    }
    JsonNode summary = JSON.readTree(last.lastLine());
    assertEquals("com.example.HingeLoss", summary.path("loss_function").asText(), last.lastLine());
    assertEquals(LossPluginIT.expectedHinge(), summary.path("loss").asDouble(), 1e-12);
    assertTrue(Files.isRegularFile(work.resolve("out/summary.json")));
  }
}
