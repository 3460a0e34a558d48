package io.seqloss.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The check across corpora: a corpus that holds another's rows in another codec or file format (the
 * same generate spec and seed) must give seqloss the same loss sum and weight sum, bit for bit, for
 * each seqloss variant. Only the reading differs, and seqloss's sums do not depend on how the rows
 * are split into files, tasks or batches.
 */
record SameRows(String markdown, boolean agree) {

  /** {@code pairs}: corpus name to the name of the corpus with the same rows. */
  static SameRows check(
      Map<String, String> pairs, Map<String, BenchmarkRunner.CorpusReport> reports) {
    if (pairs.isEmpty()) {
      return new SameRows("", true);
    }
    List<String> lines = new ArrayList<>();
    boolean agree = true;
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      BenchmarkRunner.CorpusReport corpus = reports.get(pair.getKey());
      BenchmarkRunner.CorpusReport reference = reports.get(pair.getValue());
      if (corpus == null || reference == null) {
        lines.add(
            String.format(
                "- %s and %s: not both run, not compared", pair.getKey(), pair.getValue()));
        continue;
      }
      for (Variant v : Variant.values()) {
        if (!v.isSeqloss()) {
          continue;
        }
        Measurement a = corpus.check().get(v);
        Measurement b = reference.check().get(v);
        if (a == null && b == null) {
          continue; // not among the variants run (VARIANTS)
        }
        if (a == null || b == null) {
          lines.add(
              String.format(
                  "- %s, %s: did not run on both, not compared", pair.getKey(), v.label()));
          agree = false;
          continue;
        }
        boolean same =
            Double.compare(a.lossSum(), b.lossSum()) == 0
                && Double.compare(a.weightSum(), b.weightSum()) == 0;
        agree &= same;
        lines.add(
            String.format(
                "- %s, %s: loss sum %.17g, weight sum %.17g %s %s's%s",
                pair.getKey(),
                v.label(),
                a.lossSum(),
                a.weightSum(),
                same ? "equal" : "**differ from**",
                pair.getValue(),
                same
                    ? ", bit for bit"
                    : String.format(" (%.17g, %.17g)", b.lossSum(), b.weightSum())));
      }
    }
    String markdown =
        String.format(
            "## Same rows, same loss%n%nCorpora generated from the same spec and seed in "
                + "another codec or format:%n%n%s%n%n",
            String.join("\n", lines));
    return new SameRows(markdown, agree);
  }
}
