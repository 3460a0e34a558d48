package io.seqloss.cli;

import io.seqloss.compare.CompareConfig;
import io.seqloss.compare.ComparisonResult;
import io.seqloss.compare.PairedComparison;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code seqloss compare --baseline DIR_A --candidate DIR_B --output DIR}: a paired comparison of
 * two runs.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Compares two runs over the same corpus (two checkpoints, say): a paired difference of their losses, "
          + "with an interval.",
      "Each run must have been evaluated with --per-sequence. Pairs their per_sequence/ rows by id and reports delta = L_B - L_A, L being the corpus loss "
          + "sum(loss_sum) / sum(denominator) over the paired sequences, with its paired delta-method standard "
          + "error, interval and two-sided p-value, optionally a paired Poisson bootstrap interval, and the "
          + "share of sequences where B is better. Writes DIR/comparison.json (also the last stdout line), "
          + "DIR/unpaired_ids/, DIR/report.html (unless --no-report) and, when both runs have one, "
          + "DIR/per_timestep/.",
      "Exit codes: 0 ok, 1 retryable failure, 2 usage (a directory that is no seqloss run or lacks "
          + "per_sequence/, different reduction denominators or losses), 3 the runs are not over the same corpus "
          + "(a paired sequence's weights differ, no id in common, duplicate ids)."
    })
final class CompareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--baseline",
      paramLabel = "DIR_A",
      description = "Output directory of the baseline run (A).")
  String baseline;

  @Option(
      names = "--candidate",
      paramLabel = "DIR_B",
      description = "Output directory of the candidate run (B).")
  String candidate;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "Directory to write comparison.json and the tables to (replaced as a whole).")
  String output;

  @Option(
      names = "--confidence",
      paramLabel = "LEVEL",
      defaultValue = "0.95",
      description = "Level of the intervals (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--bootstrap",
      paramLabel = "B",
      defaultValue = "0",
      description =
          "Paired Poisson bootstrap replicates, for a percentile interval beside the delta-method one; "
              + "0: off (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(
      names = "--bootstrap-seed",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Seed of the bootstrap; each sequence's counts derive from (seed, sequence id, replicate) "
              + "(default: ${DEFAULT-VALUE}).")
  long bootstrapSeed;

  @Option(
      names = "--no-report",
      description = "Write no report.html (comparison.json still lists the largest increases).")
  boolean noReport;

  @Option(
      names = "--report-worst",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "How many sequences whose loss rose most from A to B report.html and comparison.json list "
              + "(default: ${DEFAULT-VALUE}).")
  int reportWorst;

  private final Supplier<SparkSession> spark;
  private final PrintWriter out;

  CompareCommand(Supplier<SparkSession> spark, PrintWriter out) {
    this.spark = spark;
    this.out = out;
  }

  @Override
  public Integer call() {
    CompareConfig config =
        new CompareConfig(
            baseline,
            candidate,
            output,
            confidence,
            bootstrap,
            bootstrapSeed,
            !noReport,
            reportWorst);
    ComparisonResult result = new PairedComparison(spark.get()).run(config);
    spec.commandLine().getErr().println(result.humanLine());
    out.println(result.toJson());
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
