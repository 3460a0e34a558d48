package io.seqloss.cli;

import io.seqloss.output.RunSummary;

/** The one line a person reads on stderr; machines read the JSON on stdout. */
final class HumanSummary {
  private HumanSummary() {}

  static String of(RunSummary summary) {
    RunSummary.Result s = summary.result();
    RunSummary.Totals totals = summary.totals();
    StringBuilder line = new StringBuilder("seqloss: ");
    if (s.loss() != null) {
      line.append(String.format("loss = %.10f", s.loss()));
      if (s.perplexity() != null) {
        line.append(String.format(" (perplexity %.6g)", s.perplexity()));
      }
      if (s.accuracy() != null) {
        line.append(
            String.format(
                ", accuracy %.4f, top-%d accuracy %.4f", s.accuracy(), s.topK(), s.topKAccuracy()));
      }
    } else {
      line.append("result ")
          .append(s.resultShape())
          .append(" ")
          .append(s.resultDims())
          .append(" written");
    }
    line.append(
        String.format(
            " over %d sequences, %d tokens, weight sum %s",
            totals.sequences(), totals.tokens(), totals.weightSum()));
    if (totals.invalidRows() > 0) {
      line.append(String.format("; %d invalid rows skipped (see invalid/)", totals.invalidRows()));
    }
    if (!summary.input().skippedFiles().isEmpty()) {
      line.append(
          String.format(
              "; %d unreadable file(s) skipped, their rows not counted (see skipped_files in "
                  + "summary.json)",
              summary.input().skippedFiles().size()));
    }
    if (totals.zeroDenominator() > 0) {
      line.append(
          String.format(
              "; %d %s had a zero denominator (result 0)",
              totals.zeroDenominator(), totals.zeroDenominatorOf()));
    }
    line.append("; output in ").append(summary.output().outputDir());
    return line.append(errorBars(summary)).toString();
  }

  /** A second line for the error bars and the groups, when there are any. */
  private static String errorBars(RunSummary summary) {
    RunSummary.Uncertainty u = summary.uncertainty();
    RunSummary.Slices slices = summary.slices();
    StringBuilder line = new StringBuilder();
    String level =
        new java.math.BigDecimal(String.valueOf(u.confidenceLevel() * 100))
                .stripTrailingZeros()
                .toPlainString()
            + "%";
    if (u.standardError() != null) {
      line.append(
          String.format(
              "standard error %.3g (delta method), %s interval [%.6f, %.6f]",
              u.standardError(),
              level,
              u.confidenceInterval().get(0),
              u.confidenceInterval().get(1)));
    }
    if (u.bootstrap() != null && u.bootstrap().interval() != null) {
      line.append(
          String.format(
              "; bootstrap (%d replicates, seed %d) %s interval [%.6f, %.6f]",
              u.bootstrap().replicates(),
              u.bootstrap().seed(),
              level,
              u.bootstrap().interval().get(0),
              u.bootstrap().interval().get(1)));
    }
    if (slices.groups() != null) {
      line.append(line.length() > 0 ? "; " : "")
          .append(slices.groups())
          .append(" group(s) in per_group/");
    }
    return line.length() == 0 ? "" : System.lineSeparator() + "seqloss: " + line;
  }
}
