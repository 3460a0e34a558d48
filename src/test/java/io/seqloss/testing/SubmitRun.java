package io.seqloss.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./submit.sh} as a user would, from an integration test (after {@code mvn package}). */
public final class SubmitRun {
  private final int exitCode;
  private final String stdout;
  private final String stderr;

  private SubmitRun(int exitCode, String stdout, String stderr) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The project directory (failsafe sets seqloss.home). */
  public static Path home() {
    return Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  }

  /** The application jar built by {@code mvn package}. */
  public static Path applicationJar() throws IOException {
    try (var files = Files.list(home().resolve("target"))) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith("seqloss-") && n.endsWith(".jar") && !n.endsWith("-tests.jar");
      }).findFirst().orElseThrow(() -> new IllegalStateException("no target/seqloss-*.jar: run mvn package"));
    }
  }

  public static SubmitRun run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(home().resolve("submit.sh").toString());
    command.addAll(List.of(args));
    Path out = workDir.resolve("submit-" + System.nanoTime() + ".out");
    Path err = workDir.resolve("submit-" + System.nanoTime() + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(home().toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("SPARK_HOME"); // local mode from the project's own jars
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("submit.sh did not finish in 5 minutes: " + command);
    }
    return new SubmitRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }

  /** The JSON on the last line of stdout. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> summary() throws IOException {
    String[] lines = stdout.strip().split("\n");
    return new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }
}
