package io.seqloss.cli;

import io.seqloss.output.RunSummary;

/** The one line a person reads on stderr; machines read the JSON on stdout. */
final class HumanSummary {
  private HumanSummary() {}

  static String of(RunSummary s) {
    StringBuilder line = new StringBuilder("seqloss: ");
    if (s.loss() != null) {
      line.append(String.format("loss = %.10f", s.loss()));
      if (s.perplexity() != null) {
        line.append(String.format(" (perplexity %.6g)", s.perplexity()));
      }
      if (s.accuracy() != null) {
        line.append(String.format(", accuracy %.4f, top-%d accuracy %.4f", s.accuracy(), s.topK(),
            s.topKAccuracy()));
      }
    } else {
      line.append("result ").append(s.resultShape()).append(" ").append(s.resultDims()).append(" written");
    }
    line.append(String.format(" over %d sequences, %d tokens, weight sum %s", s.sequences(), s.tokens(),
        s.weightSum()));
    if (s.invalidRows() > 0) {
      line.append(String.format("; %d invalid rows skipped (see invalid/)", s.invalidRows()));
    }
    if (!s.skippedFiles().isEmpty()) {
      line.append(String.format("; %d unreadable file(s) skipped, their rows not counted (see skipped_files in "
          + "summary.json)", s.skippedFiles().size()));
    }
    if (s.zeroDenominator() > 0) {
      line.append(String.format("; %d %s had a zero denominator (result 0)", s.zeroDenominator(),
          s.zeroDenominatorOf()));
    }
    return line.append("; output in ").append(s.outputDir()).toString();
  }
}
