package io.seqloss.bench;

import io.seqloss.config.InputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One thing the benchmark times: a name and the {@code submit.sh} arguments that run it on a
 * corpus.
 */
enum Variant {
  SCAN("scan floor", "--kind scan"),
  SCAN_TUNED("scan floor, seqloss's read buffers", "--kind scan-tuned"),
  SEQLOSS_SCALAR("seqloss scalar", ""),
  SEQLOSS_PER_SEQUENCE("seqloss per-sequence", "--average-across-batch false"),
  /** The cost of the fast-path switch: Spark's public APIs only (io.seqloss.fastpath). */
  SEQLOSS_PUBLIC_API("seqloss scalar, fast paths off", "--conf spark.seqloss.fastPath=false"),
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
    return this != SCAN && this != SCAN_TUNED;
  }

  boolean isSeqloss() {
    return this == SEQLOSS_SCALAR || this == SEQLOSS_PER_SEQUENCE || this == SEQLOSS_PUBLIC_API;
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
