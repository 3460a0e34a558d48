package io.seqloss.bench;

import io.seqloss.config.InputFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One thing the benchmark times: a name and the {@code submit.sh} arguments that run it on a
 * corpus.
 */
enum Variant {
  SCAN("scan floor", "--kind scan"),
  SCAN_TUNED("scan floor, seqloss's read buffers", "--kind scan-tuned"),
  /** seqloss's own scan, ids and row index included: what it must read (issue 15). */
  SCAN_INPUTS("scan of seqloss's inputs", "--kind scan-inputs"),
  /** That scan and the token loss in plain double: the least an evaluator computes (issue 15). */
  SCAN_LOSS("scan of seqloss's inputs + the loss", "--kind scan-loss"),
  SEQLOSS_SCALAR("seqloss scalar", ""),
  SEQLOSS_PER_SEQUENCE("seqloss per-sequence", "--average-across-batch false"),
  /** The cost of the fast-path switch: Spark's public APIs only (io.seqloss.fastpath). */
  SEQLOSS_PUBLIC_API("seqloss scalar, fast paths off", "--conf spark.seqloss.fastPath=false"),
  /** Issue 13: 100 groups (the corpora's domain column); standard errors are always on. */
  SEQLOSS_GROUP_BY("seqloss --group-by domain", "--group-by domain"),
  SEQLOSS_BOOTSTRAP("seqloss --bootstrap 100", "--bootstrap 100"),
  /** Issue 17: scalar without report.html; scalar against it is what the report costs. */
  SEQLOSS_NO_REPORT("seqloss scalar, --no-report", "--no-report"),
  SQL("Spark SQL HOFs", "--kind sql"),
  UDF("Java row UDF", "--kind udf");

  private final String label;
  private final String args;

  Variant(String label, String args) {
    this.label = label;
    this.args = args;
  }

  String label() {
    return label;
  }

  /** False for the scans, which read the corpus and compute no loss. */
  boolean computesLoss() {
    return this != SCAN && this != SCAN_TUNED && this != SCAN_INPUTS;
  }

  boolean isSeqloss() {
    return name().startsWith("SEQLOSS_");
  }

  /**
   * True for the variants that must give seqloss scalar's loss sum and weight sum bit for bit: they
   * change the speed or add outputs, never the corpus sums.
   */
  boolean sameSumsAsScalar() {
    return this == SEQLOSS_PUBLIC_API
        || this == SEQLOSS_GROUP_BY
        || this == SEQLOSS_BOOTSTRAP
        || this == SEQLOSS_NO_REPORT;
  }

  /** The variant's name in {@code VARIANTS}: scan, scan-tuned, scalar, group-by, sql, ... */
  String key() {
    return name().toLowerCase(Locale.ROOT).replaceFirst("^seqloss_", "").replace('_', '-');
  }

  /**
   * The variants named in a comma-separated list of {@link #key()}s, in run order; seqloss scalar
   * always runs, as every other variant is checked and measured against it.
   */
  static Set<Variant> parse(String keys) {
    Set<Variant> chosen = EnumSet.of(SEQLOSS_SCALAR);
    for (String key : keys.split(",")) {
      String k = key.strip();
      if (k.isEmpty()) {
        continue;
      }
      chosen.add(
          Arrays.stream(values())
              .filter(v -> v.key().equals(k))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown variant '"
                              + k
                              + "' in VARIANTS; known: "
                              + Arrays.stream(values()).map(Variant::key).toList())));
    }
    return chosen;
  }

  /**
   * The {@code submit.sh} arguments after the driver memory; the format is named, not detected. A
   * baseline runs {@link BaselineCommand} from {@code benchJar} in place of seqloss's main class.
   */
  List<String> arguments(String corpus, InputFormat format, String outputDir, String benchJar) {
    List<String> a = new ArrayList<>();
    if (isSeqloss()) {
      a.add("--input");
      a.add(corpus);
      a.add("--output");
      a.add(outputDir);
      if (!args.isEmpty()) {
        a.addAll(List.of(args.split(" ")));
      }
    } else {
      a.addAll(List.of("--class", BaselineCommand.class.getName(), "--jars", benchJar));
      a.addAll(List.of(args.split(" ")));
      a.add("--input");
      a.add(corpus);
    }
    a.add("--format");
    a.add(format.name().toLowerCase(Locale.ROOT));
    return a;
  }
}
