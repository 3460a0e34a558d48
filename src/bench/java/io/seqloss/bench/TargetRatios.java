package io.seqloss.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ratios between variants that the issues set targets for, from one corpus's timed runs: the
 * cost of slices and standard errors, of the bootstrap, of the report, of per-sequence output, of
 * the computation over the scan floor, and of the fast-path switch. Both variants ran in every
 * round, one after the other, so each round gives a paired ratio as well as the ratio of medians.
 */
final class TargetRatios {
  private TargetRatios() {}

  /**
   * A ratio {@code numerator / denominator} of in-job times, and its target: at most {@code limit}
   * (NaN: measured, no target).
   */
  record Ratio(String what, Variant numerator, Variant denominator, double limit, String source) {}

  /**
   * The ratios for a corpus; the targets that depend on the shape go by its name (wide, narrow).
   */
  static List<Ratio> of(String corpus) {
    boolean wide = corpus.startsWith("wide");
    boolean narrow = corpus.startsWith("narrow");
    double none = Double.NaN;
    List<Ratio> ratios = new ArrayList<>();
    ratios.add(
        new Ratio(
            "--group-by domain (100 groups, standard errors) / scalar",
            Variant.SEQLOSS_GROUP_BY,
            Variant.SEQLOSS_SCALAR,
            1.1,
            "issue 13"));
    ratios.add(
        new Ratio(
            "--bootstrap 100 / scalar",
            Variant.SEQLOSS_BOOTSTRAP,
            Variant.SEQLOSS_SCALAR,
            1.3,
            "issue 13"));
    ratios.add(
        new Ratio(
            "report cost: scalar / scalar --no-report",
            Variant.SEQLOSS_SCALAR,
            Variant.SEQLOSS_NO_REPORT,
            wide ? 1.03 : none,
            wide ? "issue 17, on wide" : "issue 17 sets it on wide only"));
    ratios.add(
        new Ratio(
            "per-sequence / scalar",
            Variant.SEQLOSS_PER_SEQUENCE,
            Variant.SEQLOSS_SCALAR,
            wide ? 1.15 : narrow ? 1.3 : none,
            "issue 15"));
    ratios.add(
        new Ratio(
            "scalar / scan floor",
            Variant.SEQLOSS_SCALAR,
            Variant.SCAN,
            wide || narrow ? 1.3 : none,
            narrow ? "issue 15" : "issue 14; wide ≤ 1.3 since the first bench"));
    ratios.add(
        new Ratio(
            "scalar / scan of seqloss's inputs",
            Variant.SEQLOSS_SCALAR,
            Variant.SCAN_INPUTS,
            none,
            "issue 15: measured; the evaluation's own cost"));
    ratios.add(
        new Ratio(
            "scalar / scan of its inputs + the loss",
            Variant.SEQLOSS_SCALAR,
            Variant.SCAN_LOSS,
            none,
            "issue 15: measured; checks, metrics, exact sums, report"));
    ratios.add(
        new Ratio(
            "scan of its inputs + the loss / scan floor",
            Variant.SCAN_LOSS,
            Variant.SCAN,
            none,
            "issue 15: measured; the least an evaluation adds"));
    ratios.add(
        new Ratio(
            "fast paths off / on (scalar)",
            Variant.SEQLOSS_PUBLIC_API,
            Variant.SEQLOSS_SCALAR,
            none,
            "issue 14: measured"));
    return ratios;
  }

  /** The corpus's targets table; a ratio whose variants did not both run says so. */
  static String markdown(String corpus, Map<Variant, List<Measurement>> timed) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| ratio (in-job) | of medians | per round | process | target | met? |\n"
            + "|---|---:|---|---:|---:|---|\n");
    for (Ratio r : of(corpus)) {
      List<Measurement> top = timed.get(r.numerator());
      List<Measurement> bottom = timed.get(r.denominator());
      String target =
          Double.isNaN(r.limit())
              ? "— (" + r.source() + ")"
              : String.format("≤ %.2f (%s)", r.limit(), r.source());
      if (top == null || bottom == null) {
        md.append(String.format("| %s | not run | | | %s | |%n", r.what(), target));
        continue;
      }
      double ratio = BenchmarkRunner.median(top, true) / BenchmarkRunner.median(bottom, true);
      List<String> rounds = new ArrayList<>();
      for (int i = 0; i < Math.min(top.size(), bottom.size()); i++) {
        rounds.add(String.format("%.3f", top.get(i).inJobSeconds() / bottom.get(i).inJobSeconds()));
      }
      md.append(
          String.format(
              "| %s | %.3f | %s | %.3f | %s | %s |%n",
              r.what(),
              ratio,
              rounds,
              BenchmarkRunner.median(top, false) / BenchmarkRunner.median(bottom, false),
              target,
              Double.isNaN(r.limit()) ? "—" : ratio <= r.limit() ? "yes" : "**no**"));
    }
    return md.toString();
  }
}
