package io.seqloss.airflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.testing.SubmitProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/airflow/seqloss_dag.py is valid Python, imports against a minimal Airflow stub
 * (src/test/resources/airflow-stub), builds commands that the real submit.sh and seqloss accept,
 * maps exit codes 2 and 3 to a failure without retry, and pushes the summary JSON to XCom.
 */
class AirflowDagIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path HOME =
      Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  private static final Path DAG = HOME.resolve("examples/airflow/seqloss_dag.py");
  private static final Path CHECK = HOME.resolve("src/test/resources/airflow-stub/check_dag.py");
  private static final String DS = "2024-06-01";

  @TempDir Path tmp;

  /**
   * python3 is a stated requirement of the test suite (docs/development.md): fail, never skip,
   * without it.
   */
  @BeforeAll
  static void python3IsInstalled() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      assertEquals(0, p.waitFor(), "python3 --version failed");
    } catch (IOException e) {
      throw new AssertionError(
          "AirflowDagIT needs python3 on the PATH to compile and import the DAG file ("
              + e.getMessage()
              + "). Install it (apt-get install python3); .ci/run does so when it is missing.",
          e);
    }
  }

  record Result(int code, String stdout, String stderr) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(HOME.toFile());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
    Path out = Files.createTempFile("seqloss-it", ".out");
    Path err = Files.createTempFile("seqloss-it", ".err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Map<String, String> params() throws IOException {
    Map<String, String> params = new TreeMap<>();
    params.put("seqloss_home", HOME.toString());
    params.put("seqloss_jar", SubmitProcess.applicationJar().toString());
    params.put("corpus_root", tmp.resolve("corpora").toString());
    params.put("output_root", tmp.resolve("results").toString());
    return params;
  }

  private static JsonNode check(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", CHECK.toString(), DAG.toString()));
    command.addAll(List.of(args));
    Result r = exec(command);
    assertEquals(0, r.code(), "check_dag.py " + String.join(" ", args) + ":\n" + r.stderr());
    String[] lines = r.stdout().strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private static JsonNode task(JsonNode describe, String dagId, String taskId) {
    for (JsonNode task : describe.path(dagId).path("tasks")) {
      if (task.path("task_id").asText().equals(taskId)) {
        return task;
      }
    }
    throw new AssertionError("no task " + taskId + " in DAG " + dagId + ": " + describe);
  }

  @Test
  void submitShTaskBuildsACommandSubmitShAccepts() throws Exception {
    JsonNode describe = check("describe", JSON.writeValueAsString(params()));
    JsonNode evaluate = task(describe, "seqloss_nightly_submit_sh", "evaluate");
    assertEquals("SeqlossBashOperator", evaluate.path("type").asText());
    assertEquals("0 3 * * *", describe.path("seqloss_nightly_submit_sh").path("schedule").asText());
    String command = evaluate.path("bash_command").asText();
    assertTrue(command.contains(tmp.resolve("corpora").resolve(DS).toString()), command);

    assertParsedUpToTheMissingCorpus(exec(List.of("bash", "-c", command)));

    Result dry = exec(List.of("bash", "-c", command + " --dry-run"));
    assertEquals(0, dry.code(), dry.stderr());
    assertTrue(dry.stdout().contains("io.seqloss.cli.Main"), dry.stdout());
    assertTrue(dry.stdout().contains(tmp.resolve("results").resolve(DS).toString()), dry.stdout());
  }

  @Test
  void sparkSubmitTaskBuildsACommandSeqlossAccepts() throws Exception {
    JsonNode describe = check("describe", JSON.writeValueAsString(params()));
    JsonNode evaluate = task(describe, "seqloss_nightly_spark_submit", "evaluate");
    assertEquals("SeqlossSparkSubmitOperator", evaluate.path("type").asText());
    assertEquals("io.seqloss.cli.Main", evaluate.path("java_class").asText());
    assertEquals(SubmitProcess.applicationJar().toString(), evaluate.path("application").asText());
    assertEquals("publish_summary", evaluate.path("downstream").path(0).asText());
    assertTrue(
        task(describe, "seqloss_nightly_spark_submit", "publish_summary")
            .path("bash_command")
            .asText()
            .endsWith(DS + "/summary.json"));

    // The DAG repeats conf/spark-defaults.conf, which SparkSubmitOperator does not read: keep them
    // equal.
    Map<String, String> defaults = new TreeMap<>();
    for (String line : Files.readAllLines(HOME.resolve("conf/spark-defaults.conf"))) {
      String[] kv = line.strip().split("\\s+", 2);
      if (kv.length == 2 && !kv[0].startsWith("#")) {
        defaults.put(kv[0], kv[1]);
      }
    }
    assertEquals(defaults.remove("spark.driver.memory"), evaluate.path("driver_memory").asText());
    assertEquals(defaults, JSON.convertValue(evaluate.path("conf"), TreeMap.class));

    // spark-submit's own options and the application's arguments, through submit.sh, which takes
    // the
    // same options (minus --class and the jar, which it adds itself): --help parses every argument.
    List<String> argv = new ArrayList<>();
    JsonNode submit = evaluate.path("spark_submit");
    for (int i = 1; i < submit.size(); i++) {
      String arg = submit.path(i).asText();
      if (arg.equals("--class")) {
        i++;
      } else if (!arg.equals(SubmitProcess.applicationJar().toString())) {
        argv.add(arg);
      }
    }
    List<String> command = new ArrayList<>(List.of(HOME.resolve("submit.sh").toString()));
    command.addAll(argv);
    assertParsedUpToTheMissingCorpus(exec(command));
  }

  /**
   * The night's corpus does not exist here, so a command whose every option seqloss accepts
   * (picocli parsing, then the configuration's checks: exit 2 otherwise) gets as far as the input:
   * exit 3. ({@code --help} would not show this: picocli prints the usage even beside unknown
   * options.)
   */
  private void assertParsedUpToTheMissingCorpus(Result r) {
    assertEquals(
        3,
        r.code(),
        "expected the usage to be accepted and the missing corpus refused:\n" + r.stderr());
    assertTrue(
        r.stderr().contains("input path " + tmp.resolve("corpora").resolve(DS) + " does not exist"),
        r.stderr());
    assertTrue(
        r.stdout().strip().endsWith("}") && r.stdout().contains("\"exit_code\":3"), r.stdout());
  }

  @Test
  void anUnknownOptionWouldBeCaught() throws Exception {
    Result r =
        exec(
            List.of(
                HOME.resolve("submit.sh").toString(),
                "--input",
                tmp.toString(),
                "--output",
                tmp.resolve("out").toString(),
                "--average-across-everything",
                "true"));
    assertEquals(2, r.code(), r.stderr());
  }

  @Test
  void exitCodesTwoAndThreeAreNotRetried() throws Exception {
    JsonNode codes = check("exit-codes");
    for (String operator : List.of("bash", "spark_submit")) {
      JsonNode byCode = codes.path(operator);
      assertEquals("success", byCode.path("0").path("result").asText(), operator);
      assertEquals(
          "AirflowException",
          byCode.path("1").path("result").asText(),
          operator + ": exit 1 is retried");
      assertEquals(
          "AirflowFailException", byCode.path("2").path("result").asText(), operator + ": exit 2");
      assertEquals(
          "AirflowFailException", byCode.path("3").path("result").asText(), operator + ": exit 3");
      assertEquals("AirflowException", byCode.path("4").path("result").asText(), operator);
    }
  }

  @Test
  void submitShTaskPushesTheSummaryAndFailsFastOnMissingInput() throws Exception {
    Map<String, String> params = params();
    Path night = tmp.resolve("corpora").resolve(DS);
    Files.createDirectories(night);
    Files.copy(
        HOME.resolve("examples/sentiment/sentiment.parquet"), night.resolve("sentiment.parquet"));
    JsonNode ok = check("run", "seqloss_nightly_submit_sh", JSON.writeValueAsString(params));
    assertEquals("success", ok.path("result").asText(), ok.toString());
    JsonNode summary = JSON.readTree(ok.path("xcom").asText());
    assertEquals("succeeded", summary.path("status").asText(), summary.toString());
    assertEquals(5, summary.path("sequences").asInt());
    assertTrue(Files.exists(tmp.resolve("results").resolve(DS).resolve("summary.json")));

    params.put("corpus_root", tmp.resolve("no-such-corpora").toString());
    JsonNode missing = check("run", "seqloss_nightly_submit_sh", JSON.writeValueAsString(params));
    assertEquals("AirflowFailException", missing.path("result").asText(), missing.toString());
    assertTrue(
        missing.path("message").asText().contains("seqloss exited with 3"), missing.toString());
  }

  @Test
  void dagFileIsValidPythonOnItsOwn() throws Exception {
    Result r =
        exec(
            List.of(
                "python3",
                "-c",
                "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])",
                DAG.toString()));
    assertEquals(0, r.code(), r.stderr());
    assertTrue(
        new String(Files.readAllBytes(DAG), StandardCharsets.UTF_8)
            .contains("AirflowFailException"));
  }
}
