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
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Drives {@code cluster/standalone.sh} for the tests: a master and workers on 127.0.0.1, each its
 * own JVM, stopped by process id. The script's watchdog (--owner, --ttl) stops the cluster even if
 * this JVM dies without running its clean-up.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Duration TTL = Duration.ofMinutes(25);

  private final Path state;
  private final String url;

  private StandaloneCluster(Path state, String url) {
    this.state = state;
    this.url = url;
  }

  public static StandaloneCluster start(Path state, int workers) {
    String out =
        script(
            state,
            Duration.ofMinutes(3),
            "start",
            "--workers",
            String.valueOf(workers),
            "--worker-cores",
            "1",
            "--worker-memory",
            "1g",
            "--ttl",
            String.valueOf(TTL.toSeconds()),
            "--owner",
            String.valueOf(ProcessHandle.current().pid()));
    String url = out.strip().lines().reduce((a, b) -> b).orElse("");
    if (!url.startsWith("spark://127.0.0.1:")) {
      throw new IllegalStateException("standalone.sh start printed no master URL: " + out);
    }
    return new StandaloneCluster(state, url);
  }

  public String url() {
    return url;
  }

  public Path state() {
    return state;
  }

  /** The PID of worker i (1-based). */
  public long workerPid(int i) {
    try {
      return Long.parseLong(Files.readString(state.resolve("worker-" + i + ".pid")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The executor JVMs worker i launched: its child processes. */
  public List<ProcessHandle> executors(int i) {
    return ProcessHandle.of(workerPid(i)).map(h -> h.children().toList()).orElse(List.of());
  }

  /**
   * The stderr log of an executor JVM of worker i: work/worker-i/APP/EXECUTOR/stderr, from its
   * arguments.
   */
  public Path executorLog(int i, ProcessHandle executor) {
    List<String> args = List.of(executor.info().arguments().orElse(new String[0]));
    int app = args.indexOf("--app-id");
    int id = args.indexOf("--executor-id");
    if (app < 0 || id < 0) {
      throw new IllegalStateException("not an executor: " + args);
    }
    return state
        .resolve("work")
        .resolve("worker-" + i)
        .resolve(args.get(app + 1))
        .resolve(args.get(id + 1))
        .resolve("stderr");
  }

  /**
   * Waits until no worker runs an executor, so that one test's application cannot leak into the
   * next.
   */
  public void awaitNoExecutors(int workers, Duration timeout) {
    await(
        timeout,
        "executors of earlier applications to exit",
        () -> {
          for (int i = 1; i <= workers; i++) {
            if (ProcessHandle.of(workerPid(i)).isPresent() && !executors(i).isEmpty()) {
              return false;
            }
          }
          return true;
        });
  }

  /**
   * SIGKILLs worker i and the executors it launched, at once: a node lost for good. (What {@code
   * standalone.sh kill-worker} does, without the delay of starting a shell, so that a test can hit
   * a task it has just seen running.)
   */
  public void killWorker(int i) {
    ProcessHandle worker =
        ProcessHandle.of(workerPid(i))
            .orElseThrow(() -> new IllegalStateException("worker " + i + " is not running"));
    Stream.concat(Stream.of(worker), worker.descendants())
        .toList()
        .forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * The stderr logs of every executor run so far (the workers keep them under work/APP/EXECUTOR/).
   */
  public List<Path> executorLogs() {
    try (Stream<Path> files = Files.walk(state.resolve("work"))) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String log(String daemon) {
    try {
      return Files.readString(
          state.resolve("logs").resolve(daemon + ".log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    script(state, Duration.ofMinutes(2), "stop");
  }

  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private static String script(Path state, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(SubmitProcess.home().resolve("cluster/standalone.sh").toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(state);
      Path out = state.resolve("script-" + args[0] + ".out");
      Path err = state.resolve("script-" + args[0] + ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("SEQLOSS_CLUSTER_DIR", state.toString());
      Process p = builder.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "standalone.sh " + args[0] + " did not finish in " + timeout);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "standalone.sh "
                + String.join(" ", args)
                + " failed: "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
