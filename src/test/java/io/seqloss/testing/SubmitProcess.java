package io.seqloss.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./submit.sh} run as its own process, the way a user or a scheduler runs seqloss.
 * stdout and stderr go to files beside each other, so a test can watch the driver's log while it
 * runs. The script execs the JVM, so {@link #pid()} is the driver's process id.
 */
public final class SubmitProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private SubmitProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The project directory (failsafe passes it; the working directory otherwise). */
  public static Path home() {
    return Path.of(System.getProperty("seqloss.home", ".")).toAbsolutePath();
  }

  /**
   * The application jar of the Spark line under test: failsafe names it ({@code seqloss.jar}); else
   * the default line's jar in target/.
   */
  public static Path applicationJar() {
    String named = System.getProperty("seqloss.jar");
    if (named != null) {
      return Path.of(named);
    }
    try (java.util.stream.Stream<Path> files = Files.list(home().resolve("target"))) {
      return files
          .filter(f -> f.getFileName().toString().matches("seqloss-spark-3\\.5_2\\.12-.*\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no target/seqloss-spark-3.5_2.12-*.jar: run mvn package first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code ./submit.sh args...} with a small driver heap and no web UI; logs go to
   * logDir/name.*.
   */
  public static SubmitProcess start(Path logDir, String name, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                home().resolve("submit.sh").toString(),
                "--driver-memory",
                "768m",
                "--conf",
                "spark.ui.enabled=false"));
    command.addAll(args);
    try {
      Files.createDirectories(logDir);
      Path out = logDir.resolve(name + ".stdout");
      Path err = logDir.resolve(name + ".stderr");
      Process p =
          new ProcessBuilder(command)
              .directory(home().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      return new SubmitProcess(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start submit.sh", e);
    }
  }

  /** Runs to the end; fails the test if it takes longer than the timeout (and kills it). */
  public static SubmitProcess run(Path logDir, String name, Duration timeout, List<String> args) {
    SubmitProcess p = start(logDir, name, args);
    p.await(timeout);
    return p;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public SubmitProcess await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new AssertionError(
            "submit.sh did not finish in " + timeout + "; its log:\n" + stderr());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return this;
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** SIGTERM, as Airflow sends on a timeout: the driver may clean up and report. */
  public SubmitProcess terminate(Duration timeout) {
    process.destroy();
    return await(timeout);
  }

  /** SIGKILL: the driver gets no chance to clean up. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /** The summary line: the last line of stdout. */
  public String lastLine() {
    String[] lines = stdout().strip().split("\n");
    return lines[lines.length - 1];
  }

  /** For assertion messages: the exit code and the end of the log. */
  public String describe() {
    String err = stderr();
    return "exit "
        + (process.isAlive() ? "(running)" : exitCode())
        + ", stderr ends:\n"
        + err.substring(Math.max(0, err.length() - 4000));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
