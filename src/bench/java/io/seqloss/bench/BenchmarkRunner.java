package io.seqloss.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.config.InputFormat;
import io.seqloss.input.DataFiles;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The timing harness behind {@code bench/run.sh}. For each corpus it runs every {@link Variant}
 * once as a check (they must agree on the loss, and the scan on the weight sum, before anything is
 * timed; this run also warms the page cache), then {@code runs} timed rounds, each round running
 * every variant once, so that a change of machine load hits all variants alike; each round starts
 * one variant further on ({@link #roundOrder}), so none always follows the same one. Every run is a
 * fresh {@code submit.sh} process: the process time includes JVM and Spark start-up, the in-job
 * time is what the run itself reports (from the corpus opened to the result computed). A corpus is
 * Parquet or Arrow IPC, told from its file names; every variant reads it in that format.
 *
 * <p>Corpora that hold the same rows in another codec or format ({@code --same-rows
 * name=reference}) must give seqloss the same loss sum and weight sum bit for bit; that is checked
 * after both have run.
 *
 * <p>Usage: {@code BenchmarkRunner HOME RUNS DRIVER_MEMORY REPORT (name=path | --same-rows
 * name=reference)...}
 */
public final class BenchmarkRunner {
  private static final double AGREEMENT = 1e-9;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final int runs;
  private final String driverMemory;
  private final Path logs;
  private final PrintStream out;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Set<Variant> variants;

  BenchmarkRunner(
      Path home, int runs, String driverMemory, Set<Variant> variants, PrintStream out) {
    this.home = home;
    this.variants = variants;
    this.runs = runs;
    this.driverMemory = driverMemory;
    this.logs = home.resolve("bench/out/logs");
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: BenchmarkRunner HOME RUNS DRIVER_MEMORY REPORT [--variants LIST] "
              + "(name=path | --same-rows name=reference)...");
      System.exit(2);
    }
    Map<String, Path> corpora = new LinkedHashMap<>();
    Map<String, String> sameRows = new LinkedHashMap<>();
    Set<Variant> variants = EnumSet.allOf(Variant.class);
    for (int i = 4; i < args.length; i++) {
      if (args[i].equals("--variants") && i + 1 < args.length) {
        try {
          variants = Variant.parse(args[++i]);
        } catch (IllegalArgumentException e) {
          System.err.println("BenchmarkRunner: " + e.getMessage());
          System.exit(2);
        }
        continue;
      }
      boolean pair = args[i].equals("--same-rows") && i + 1 < args.length;
      String[] nameAndValue = (pair ? args[++i] : args[i]).split("=", 2);
      if (nameAndValue.length != 2) {
        System.err.println(
            "BenchmarkRunner: expected name=path or --same-rows name=reference, got " + args[i]);
        System.exit(2);
      }
      if (pair) {
        sameRows.put(nameAndValue[0], nameAndValue[1]);
      } else {
        corpora.put(nameAndValue[0], Path.of(nameAndValue[1]).toAbsolutePath());
      }
    }
    BenchmarkRunner runner =
        new BenchmarkRunner(
            Path.of(args[0]).toAbsolutePath(),
            Integer.parseInt(args[1]),
            args[2],
            variants,
            System.out);
    StringBuilder report = new StringBuilder();
    report.append(runner.header());
    boolean allAgree = true;
    Map<String, CorpusReport> reports = new LinkedHashMap<>();
    for (Map.Entry<String, Path> corpus : corpora.entrySet()) {
      CorpusReport r = runner.benchmark(corpus.getKey(), corpus.getValue());
      allAgree &= r.agree();
      reports.put(corpus.getKey(), r);
      report.append(r.markdown());
    }
    SameRows same = SameRows.check(sameRows, reports);
    runner.out.print(same.markdown());
    report.append(same.markdown());
    allAgree &= same.agree();
    Files.writeString(Path.of(args[3]), report.toString(), StandardCharsets.UTF_8);
    System.out.println("report written to " + args[3]);
    System.exit(allAgree ? 0 : 1);
  }

  private String header() {
    return String.format(
        "# seqloss benchmark, %s%n%nmachine: %s; %d cores; Java %s; driver memory %s; "
            + "local[*]; %d timed runs per variant (median shown); Spark %s; variants: %s%n%n",
        ZonedDateTime.now().withNano(0),
        uname(),
        cores,
        System.getProperty("java.version"),
        driverMemory,
        runs,
        org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        variants.stream().map(Variant::key).toList());
  }

  /** A corpus's table, whether its variants agreed, and their check runs (for {@link SameRows}). */
  record CorpusReport(String markdown, boolean agree, Map<Variant, Measurement> check) {}

  /**
   * The variants of timed round r, rotated by r − 1: no variant always runs right after the same
   * one (on wide, scalar right after the scan floor's process ran slower than variants doing more).
   */
  List<Variant> roundOrder(int round) {
    List<Variant> order = new ArrayList<>(variants);
    java.util.Collections.rotate(order, -((round - 1) % order.size()));
    return order;
  }

  CorpusReport benchmark(String name, Path corpus) throws IOException, InterruptedException {
    Files.createDirectories(logs);
    InputFormat format = formatOf(corpus);
    out.printf("%n== %s (%s, %s) ==%n", name, corpus, format.displayName());
    String loadBefore = uptime();
    Map<Variant, Measurement> check = new EnumMap<>(Variant.class);
    Map<Variant, String> failed = new EnumMap<>(Variant.class);
    for (Variant v : variants) {
      try {
        check.put(v, run(name, corpus, format, v, "check"));
      } catch (RunFailed e) {
        failed.put(v, e.getMessage());
        out.printf("  %-22s FAILED: %s%n", v.label(), e.getMessage());
      }
    }
    List<String> disagreements = checkAgreement(check);
    disagreements.forEach(d -> out.println("  DISAGREEMENT: " + d));
    Map<Variant, List<Measurement>> timed = new EnumMap<>(Variant.class);
    for (int round = 1; round <= runs; round++) {
      for (Variant v : roundOrder(round)) {
        if (failed.containsKey(v)) {
          continue;
        }
        try {
          timed
              .computeIfAbsent(v, k -> new ArrayList<>())
              .add(run(name, corpus, format, v, "run" + round));
        } catch (RunFailed e) {
          failed.put(v, e.getMessage());
          timed.remove(v);
        }
      }
    }
    String loadAfter = uptime();
    return new CorpusReport(
        table(name, corpus, format, check, timed, failed, disagreements, loadBefore, loadAfter),
        disagreements.isEmpty(),
        check);
  }

  /**
   * Every loss agrees with seqloss scalar's to 1e-9 (relative); the scan's weight sum with its
   * weight sum.
   */
  private static List<String> checkAgreement(Map<Variant, Measurement> check) {
    List<String> problems = new ArrayList<>();
    Measurement reference = check.get(Variant.SEQLOSS_SCALAR);
    if (reference == null) {
      problems.add("seqloss scalar did not run; nothing to compare with");
      return problems;
    }
    for (Map.Entry<Variant, Measurement> e : check.entrySet()) {
      Measurement m = e.getValue();
      if (!close(m.weightSum(), reference.weightSum())) {
        problems.add(
            String.format(
                "%s weight sum %.17g != %.17g",
                e.getKey().label(), m.weightSum(), reference.weightSum()));
      }
      if (e.getKey().computesLoss() && !close(m.loss(), reference.loss())) {
        problems.add(
            String.format(
                "%s loss %.17g != %.17g", e.getKey().label(), m.loss(), reference.loss()));
      }
      // The fast-path switch, slices, the bootstrap and the report change the speed or add
      // outputs only: the corpus sums are the same bits.
      if (e.getKey().sameSumsAsScalar()
          && (Double.compare(m.lossSum(), reference.lossSum()) != 0
              || Double.compare(m.weightSum(), reference.weightSum()) != 0)) {
        problems.add(
            String.format(
                "%s loss sum %.17g, weight sum %.17g != %.17g, %.17g, bit for bit",
                e.getKey().label(),
                m.lossSum(),
                m.weightSum(),
                reference.lossSum(),
                reference.weightSum()));
      }
    }
    return problems;
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= AGREEMENT * Math.max(Math.abs(a), Math.abs(b));
  }

  /**
   * Arrow when the corpus's data files carry an Arrow extension, as seqloss's own detection
   * decides.
   */
  private static InputFormat formatOf(Path corpus) throws IOException {
    try (var files = Files.walk(corpus)) {
      return InputFormat.detect(
          files
              .filter(Files::isRegularFile)
              .map(p -> p.getFileName().toString())
              .filter(n -> !DataFiles.isHidden(n))
              .toList());
    }
  }

  private Measurement run(String corpusName, Path corpus, InputFormat format, Variant v, String tag)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("submit.sh").toString());
    command.add("--driver-memory");
    command.add(driverMemory);
    String outputDir = home.resolve("bench/out/result-" + v.name().toLowerCase()).toString();
    command.addAll(v.arguments(corpus.toString(), format, outputDir, benchJar()));
    File log =
        logs.resolve(corpusName + "-" + v.name().toLowerCase() + "-" + tag + ".log").toFile();
    File stdout =
        logs.resolve(corpusName + "-" + v.name().toLowerCase() + "-" + tag + ".json").toFile();
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectOutput(stdout)
            .redirectError(log)
            .start();
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> lines = Files.readAllLines(stdout.toPath());
    String last = lines.isEmpty() ? "{}" : lines.get(lines.size() - 1);
    if (exit != 0) {
      throw new RunFailed(String.format("exit %d, see %s: %s", exit, log, last));
    }
    Measurement m = Measurement.of(seconds, JSON.readTree(last));
    out.printf(
        "  %-22s %-6s process %7.2f s  in-job %7.2f s  loss %.12f  weight sum %.1f%n",
        v.label(), tag, m.processSeconds(), m.inJobSeconds(), m.loss(), m.weightSum());
    return m;
  }

  /** The jar this class was loaded from (bench/run.sh puts the bench jar on the classpath). */
  private static String benchJar() {
    try {
      return Path.of(
              BenchmarkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the bench jar is", e);
    }
  }

  private String table(
      String name,
      Path corpus,
      InputFormat format,
      Map<Variant, Measurement> check,
      Map<Variant, List<Measurement>> timed,
      Map<Variant, String> failed,
      List<String> disagreements,
      String loadBefore,
      String loadAfter) {
    Measurement ref = check.get(Variant.SEQLOSS_SCALAR);
    long logits = ref == null ? 0 : ref.tokens() * ref.numClasses();
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            "## %s%n%n`%s`: %s of %s; %s sequences, %s steps, V = %s, %,d logits; loss %s%n%n",
            name,
            home.relativize(corpus),
            humanBytes(sizeOf(corpus, format)),
            format.displayName(),
            ref == null ? "?" : ref.sequences(),
            ref == null ? "?" : ref.tokens(),
            ref == null ? "?" : ref.numClasses(),
            logits,
            ref == null ? "?" : String.format("%.10f", ref.loss())));
    md.append(String.format("load (uptime) before: `%s`; after: `%s`%n%n", loadBefore, loadAfter));
    md.append(
        "| variant | in-job median (s) | process median (s) | in-job / scan | process / scan "
            + "| logits / s / core (in-job) | runs (in-job s) |\n|---|---:|---:|---:|---:|---:|---|\n");
    double scanJob = median(timed.get(Variant.SCAN), true);
    double scanProcess = median(timed.get(Variant.SCAN), false);
    for (Variant v : variants) {
      if (failed.containsKey(v)) {
        md.append(
            String.format(
                "| %s | failed | | | | | %s |%n", v.label(), failed.get(v).replace('|', '/')));
        continue;
      }
      List<Measurement> ms = timed.get(v);
      double job = median(ms, true);
      double process = median(ms, false);
      md.append(
          String.format(
              "| %s | %.2f | %.2f | %.2f | %.2f | %s | %s |%n",
              v.label(),
              job,
              process,
              job / scanJob,
              process / scanProcess,
              String.format("%,.0f", logits / job / cores),
              ms.stream().map(m -> String.format("%.2f", m.inJobSeconds())).toList()));
    }
    double seqloss = median(timed.get(Variant.SEQLOSS_SCALAR), true);
    md.append('\n');
    if (timed.containsKey(Variant.SQL) && timed.containsKey(Variant.UDF)) {
      md.append(
          String.format(
              "seqloss scalar is %.1f× faster than the SQL baseline and %.1f× faster than the "
                  + "UDF baseline (in-job medians). ",
              median(timed.get(Variant.SQL), true) / seqloss,
              median(timed.get(Variant.UDF), true) / seqloss));
    }
    if (timed.containsKey(Variant.SCAN_TUNED)) {
      md.append(
          String.format(
              "Against the scan floor read with its own read buffers, seqloss scalar takes %.2f× "
                  + "(the cost of the computation alone).",
              seqloss / median(timed.get(Variant.SCAN_TUNED), true)));
    }
    md.append(
        String.format(
            "%n%nTargets (in-job medians of this run; per round: the paired ratio of each timed "
                + "round):%n%n"));
    md.append(TargetRatios.markdown(name, timed));
    if (!disagreements.isEmpty()) {
      md.append("\n**Disagreements:** ").append(String.join("; ", disagreements)).append('\n');
    }
    md.append('\n');
    out.print(md);
    return md.toString();
  }

  static double median(List<Measurement> ms, boolean inJob) {
    if (ms == null || ms.isEmpty()) {
      return Double.NaN;
    }
    double[] xs =
        ms.stream()
            .mapToDouble(m -> inJob ? m.inJobSeconds() : m.processSeconds())
            .sorted()
            .toArray();
    int n = xs.length;
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }

  /** Bytes of the corpus's data files (not the checksums and markers beside them). */
  private static long sizeOf(Path dir, InputFormat format) {
    try (var files = Files.walk(dir)) {
      return files
          .filter(p -> isDataFile(p.getFileName().toString(), format))
          .mapToLong(p -> p.toFile().length())
          .sum();
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean isDataFile(String name, InputFormat format) {
    return !DataFiles.isHidden(name)
        && (format == InputFormat.ARROW
            ? InputFormat.hasArrowExtension(name)
            : name.endsWith(".parquet"));
  }

  private static String humanBytes(long bytes) {
    return bytes >= 1L << 30
        ? String.format("%.2f GiB", bytes / (double) (1L << 30))
        : String.format("%.0f MiB", bytes / (double) (1L << 20));
  }

  private static String uptime() {
    return command("uptime");
  }

  private static String uname() {
    return command("uname", "-srm")
        + ", "
        + command("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
  }

  private static String command(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return s;
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static final class RunFailed extends IOException {
    private static final long serialVersionUID = 1L;

    RunFailed(String message) {
      super(message);
    }
  }
}
