package io.seqloss.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqloss.output.RunSummary;
import io.seqloss.stats.CalibrationBins;
import io.seqloss.stats.LossByPosition.PositionPoint;
import io.seqloss.stats.LossHistogram;
import io.seqloss.stats.RunStatistics;
import io.seqloss.stats.WorstSequences;
import java.util.List;
import java.util.Locale;

/**
 * report.html of a run: one self-contained page (inline CSS and SVG, no script, nothing fetched) with
 * the run's facts and four charts. Every number comes from the {@link RunSummary} written to
 * summary.json or from the in-pass {@link RunStatistics}; each fact carries its summary.json key and
 * JSON value in {@code data-key} and {@code data-value}, so a reader (or a test) can tie the two.
 */
public final class RunReportPage {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Histogram bars at most. */
  private static final int HISTOGRAM_BARS = 60;

  private final RunSummary summary;
  private final RunStatistics statistics;
  private final StringBuilder html = new StringBuilder(64 * 1024);

  private RunReportPage(RunSummary summary, RunStatistics statistics) {
    this.summary = summary;
    this.statistics = statistics;
  }

  public static String render(RunSummary summary, RunStatistics statistics) {
    return new RunReportPage(summary, statistics).page();
  }

  private String page() {
    RunSummary.Result r = summary.result();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>seqloss report: ").append(Html.escape(String.join(", ", summary.input().inputPaths())))
        .append("</title><style>").append(ReportStyle.CSS).append("</style></head><body>\n");
    html.append("<header><h1>seqloss evaluation report</h1><p class=\"lede\">");
    if (r.loss() != null) {
      html.append("Loss <strong>").append(Html.number(r.loss())).append("</strong>");
      if (r.perplexity() != null) {
        html.append(" (perplexity ").append(Html.number(r.perplexity())).append(')');
      }
    } else {
      html.append("A ").append(Html.escape(r.resultShape())).append(" result (see the output directory)");
    }
    html.append(" over ").append(Html.count(summary.totals().sequences())).append(" sequences and ")
        .append(Html.count(summary.totals().tokens())).append(" tokens of ")
        .append(Html.escape(String.join(", ", summary.input().inputPaths()))).append(".</p></header>\n<main>\n");
    facts();
    position();
    distribution();
    worst();
    calibration();
    // The slices of --group-by (a table and a dot-and-interval plot per group) go here once the run
    // summary carries them; see docs/outputs.md.
    html.append("</main><footer>Made by seqloss ").append(Html.escape(summary.run().seqlossVersion()))
        .append(" on Spark ").append(Html.escape(summary.run().sparkVersion()))
        .append(". The numbers are those of summary.json in the same directory; nothing on this page is computed ")
        .append("in the browser.</footer>\n</body></html>\n");
    return html.toString();
  }

  private void facts() {
    RunSummary.Result r = summary.result();
    RunSummary.Totals t = summary.totals();
    RunSummary.LossSpec l = summary.lossSpec();
    RunSummary.ReductionFlags f = summary.reduction();
    html.append("<section id=\"facts\"><h2>The run</h2><div class=\"facts\">");
    group("Result", () -> {
      fact("loss", "loss", r.loss());
      // The 95 % interval of the loss appears here once the error-bar feature gives summary.json one.
      fact("perplexity", "perplexity", r.perplexity());
      fact("bits per token", "bits_per_token", r.bitsPerToken());
      fact("accuracy", "accuracy", r.accuracy());
      fact("top-k", "top_k", r.topK());
      fact("top-k accuracy", "top_k_accuracy", r.topKAccuracy());
      fact("expected calibration error", "ece", summary.calibration().ece());
      fact("result shape", "result_shape", r.resultShape());
      fact("result dims", "result_dims", r.resultDims());
    });
    group("Rows", () -> {
      fact("input rows", "input_rows", t.inputRows());
      fact("sequences", "sequences", t.sequences());
      fact("invalid rows", "invalid_rows", t.invalidRows());
      fact("duplicate ids", "duplicate_ids", t.duplicateIds());
      fact("tokens", "tokens", t.tokens());
      fact("weight sum", "weight_sum", t.weightSum());
      fact("non-zero weights", "nonzero_weights", t.nonzeroWeights());
      fact("loss sum", "loss_sum", t.lossSum());
      fact("zero denominators", "zero_denominator", t.zeroDenominator());
    });
    group("Loss", () -> {
      fact("loss function", "loss_function", l.lossFunction());
      fact("options", "loss_options", l.lossOptions());
      fact("ignore index", "ignore_index", l.ignoreIndex());
      fact("class weights", "class_weights", l.classWeights());
      fact("classes V", "num_classes", l.numClasses());
      fact("V from", "num_classes_source", l.numClassesSource());
      fact("average_across_timesteps", "average_across_timesteps", f.averageAcrossTimesteps());
      fact("average_across_batch", "average_across_batch", f.averageAcrossBatch());
      fact("sum_over_timesteps", "sum_over_timesteps", f.sumOverTimesteps());
      fact("sum_over_batch", "sum_over_batch", f.sumOverBatch());
    });
    group("Input and run", () -> {
      fact("input", "input_paths", summary.input().inputPaths());
      fact("input files", "input_files", summary.input().inputFiles());
      fact("skipped files", "skipped_files", summary.input().skippedFiles().size(),
          summary.input().skippedFiles());
      fact("all input rows counted", "all_input_rows_counted", summary.input().allInputRowsCounted());
      fact("output", "output_dir", summary.output().outputDir());
      fact("elapsed seconds", "elapsed_seconds", summary.run().elapsedSeconds());
      fact("seqloss", "seqloss_version", summary.run().seqlossVersion());
      fact("Spark", "spark_version", summary.run().sparkVersion());
    });
    html.append("</div></section>\n");
  }

  private void group(String title, Runnable rows) {
    html.append("<table class=\"fact-group\"><caption>").append(Html.escape(title)).append("</caption><tbody>");
    rows.run();
    html.append("</tbody></table>");
  }

  private void fact(String label, String key, Object value) {
    fact(label, key, value instanceof List<?> list && !list.isEmpty() && !(list.get(0) instanceof String)
        ? list.size() : value, value);
  }

  /** One fact: {@code shown} as text, {@code value} (its summary.json value) in data-value. */
  private void fact(String label, String key, Object shown, Object value) {
    html.append("<tr><th>").append(Html.escape(label)).append("</th><td data-key=\"").append(key)
        .append("\" data-value=\"").append(Html.escape(json(value))).append("\">").append(Html.escape(text(shown)))
        .append("</td></tr>");
  }

  private static String text(Object v) {
    if (v == null) {
      return "—";
    }
    if (v instanceof Double d) {
      return Html.number(d);
    }
    if (v instanceof Long || v instanceof Integer) {
      return Html.count(((Number) v).longValue());
    }
    if (v instanceof List<?> list) {
      return list.isEmpty() ? "none" : String.join(", ", list.stream().map(String::valueOf).toList());
    }
    if (v instanceof java.util.Map<?, ?> map) {
      return map.isEmpty() ? "none" : json(map);
    }
    return String.valueOf(v);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }

  private void position() {
    List<PositionPoint> points = statistics.positions().points();
    String per = statistics.settings().byCount() ? "count of non-zero weights" : "weight";
    html.append("<section id=\"position\"><h2>Loss by position</h2><p id=\"position-caption\">The loss at each ")
        .append("position (timestep), over the sequences long enough to reach it: Σ w·loss / Σ ").append(per)
        .append(" at that step, the per-timestep result of <code>average_across_batch</code>. The shaded band is ")
        .append("its 95 % interval (± 1.96 standard errors; the standard error treats the sequences as the ")
        .append("sample, by the delta method for a ratio). The grey bars (right axis) show the ").append(per)
        .append(" sum at each step: where they are low the curve rests on few tokens. Steps from ")
        .append(Html.count(1024)).append(" on are grouped, 64 groups per doubling.</p>");
    if (points.isEmpty()) {
      html.append("<p class=\"empty\">No token was evaluated.</p></section>\n");
      return;
    }
    int n = points.size();
    double[] xs = new double[n];
    Double[] loss = new Double[n];
    Double[] lower = new Double[n];
    Double[] upper = new Double[n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double maxWeight = 0;
    for (int i = 0; i < n; i++) {
      PositionPoint p = points.get(i);
      xs[i] = (p.firstStep() + p.lastStep()) / 2.0;
      loss[i] = p.loss();
      lower[i] = p.lower();
      upper[i] = p.upper();
      for (Double v : new Double[] {p.loss(), p.lower(), p.upper()}) {
        if (v != null && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      maxWeight = Math.max(maxWeight, p.weightSum());
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    lo = Math.min(lo, 0.0);
    Svg.Scale weights = Svg.Scale.of(0, maxWeight > 0 ? maxWeight * 1.05 : 1);
    Svg chart = new Svg(Svg.Scale.of(points.get(0).firstStep() - 0.5, points.get(n - 1).lastStep() + 0.5),
        Svg.Scale.of(lo, hi + (hi - lo) * 0.05));
    chart.axes("position (timestep)", "loss", weights, per + " sum");
    for (PositionPoint p : points) {
      chart.bar("weight", p.firstStep() - 0.4, p.lastStep() + 0.4, p.weightSum(), weights,
          String.format(Locale.ROOT, "steps %d–%d: %s sum %s, %d tokens", p.firstStep(), p.lastStep(), per,
              Html.number(p.weightSum()), p.tokens()));
    }
    chart.band("band", xs, lower, upper).line("curve", xs, loss);
    if (n == 1 && loss[0] != null) {
      chart.dot("point", xs[0], loss[0], "loss " + Html.number(loss[0]));
    }
    html.append(chart.toSvg("chart-position", "position-caption")).append("</section>\n");
  }

  private void distribution() {
    LossHistogram.Display d = statistics.histogram().display(HISTOGRAM_BARS);
    html.append("<section id=\"distribution\"><h2>Distribution of per-sequence losses</h2>")
        .append("<p id=\"distribution-caption\">How the loss spreads over sequences: each sequence's loss (Σ w·loss")
        .append(" over its own ").append(statistics.settings().byCount() ? "count of non-zero weights" : "weight sum")
        .append(") counted exactly in bars of width ").append(Html.number(d.width())).append(", ")
        .append(Html.count(d.total())).append(" sequences in all.");
    if (d.above() > 0) {
      html.append(' ').append(Html.count(d.above())).append(" sequences above the 99.9th percentile (from ")
          .append(Html.number(d.start() + d.width() * d.counts().size())).append(" on) are not drawn.");
    }
    if (statistics.zeroDenominatorSequences() > 0) {
      html.append(' ').append(Html.count(statistics.zeroDenominatorSequences()))
          .append(" sequences have no weight, so no loss, and are left out.");
    }
    if (d.nanCount() > 0) {
      html.append(' ').append(Html.count(d.nanCount())).append(" sequences with a NaN loss are left out.");
    }
    html.append("</p>");
    if (d.counts().isEmpty()) {
      html.append("<p class=\"empty\">No sequence has a loss.</p></section>\n");
      return;
    }
    long max = d.counts().stream().mapToLong(Long::longValue).max().orElse(1);
    Svg chart = new Svg(Svg.Scale.of(d.start(), d.start() + d.width() * d.counts().size()),
        Svg.Scale.of(0, max * 1.05));
    chart.axes("per-sequence loss", "sequences", null, null);
    for (int i = 0; i < d.counts().size(); i++) {
      double from = d.start() + i * d.width();
      chart.bar("count", from, from + d.width(), d.counts().get(i), null, String.format(Locale.ROOT,
          "[%s, %s): %d sequences", Html.number(from), Html.number(from + d.width()), d.counts().get(i)));
    }
    html.append(chart.toSvg("chart-histogram", "distribution-caption")).append("</section>\n");
  }

  private void worst() {
    List<WorstSequences.Entry> entries = statistics.worst().worstFirst();
    html.append("<section id=\"worst\"><h2>Worst sequences</h2><p id=\"worst-caption\">The ")
        .append(entries.size()).append(" sequences with the highest loss (Σ w·loss over the sequence's ")
        .append(statistics.settings().byCount() ? "count of non-zero weights" : "weight sum")
        .append("), worst first; equal losses in id order. <code>--report-worst N</code> lists more or fewer.</p>")
        .append("<table id=\"table-worst\" aria-describedby=\"worst-caption\"><thead><tr><th>#</th><th>id</th>")
        .append("<th>loss</th><th>tokens</th><th>weight sum</th><th>accuracy</th></tr></thead><tbody>");
    int rank = 1;
    for (WorstSequences.Entry e : entries) {
      html.append("<tr><td>").append(rank++).append("</td><td class=\"id\" data-value=\"")
          .append(Html.escape(json(e.id()))).append("\">").append(Html.escape(String.valueOf(e.id())))
          .append("</td><td data-value=\"").append(json(e.loss())).append("\">").append(Html.number(e.loss()))
          .append("</td><td>").append(Html.count(e.tokens())).append("</td><td data-value=\"")
          .append(json(e.weightSum())).append("\">").append(Html.number(e.weightSum())).append("</td><td>")
          .append(Html.number(e.accuracy())).append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  private void calibration() {
    RunSummary.Calibration c = summary.calibration();
    html.append("<section id=\"calibration\"><h2>Calibration</h2><p id=\"calibration-caption\">A reliability ")
        .append("diagram: tokens grouped by the softmax probability of their most likely class (15 equal-width ")
        .append("bins, each token counted with its weight). A bar's height is how often that class was the ")
        .append("target (accuracy); the dark tick is the bin's mean probability (confidence). A calibrated model's ")
        .append("bars reach the diagonal. Expected calibration error (the weighted mean gap): <strong data-key=")
        .append("\"ece\" data-value=\"").append(Html.escape(json(c.ece()))).append("\">").append(text(c.ece()))
        .append("</strong>.</p>");
    Svg chart = new Svg(Svg.Scale.of(0, 1), Svg.Scale.of(0, 1));
    chart.axes("confidence (top-1 probability)", "accuracy", null, null);
    chart.segment("diagonal", 0, 0, 1, 1);
    for (CalibrationBins.Bin b : c.calibrationBins()) {
      if (b.accuracy() == null) {
        continue;
      }
      chart.bar("accuracy", b.lower() + 0.004, b.upper() - 0.004, b.accuracy(), null, String.format(Locale.ROOT,
          "[%s, %s): accuracy %s, confidence %s, %d tokens", Html.number(b.lower()), Html.number(b.upper()),
          Html.number(b.accuracy()), Html.number(b.confidence()), b.tokens()));
      chart.segment("confidence", b.lower() + 0.004, b.confidence(), b.upper() - 0.004, b.confidence());
    }
    html.append(chart.toSvg("chart-calibration", "calibration-caption"));
    html.append("<table id=\"table-calibration\"><thead><tr><th>probability</th><th>tokens</th><th>weight</th>")
        .append("<th>confidence</th><th>accuracy</th></tr></thead><tbody>");
    for (CalibrationBins.Bin b : c.calibrationBins()) {
      html.append("<tr><td>[").append(Html.number(b.lower())).append(", ").append(Html.number(b.upper()))
          .append(")</td><td>").append(Html.count(b.tokens())).append("</td><td data-value=\"")
          .append(json(b.weightSum())).append("\">").append(Html.number(b.weightSum())).append("</td><td data-value=\"")
          .append(json(b.confidence())).append("\">").append(text(b.confidence())).append("</td><td data-value=\"")
          .append(json(b.accuracy())).append("\">").append(text(b.accuracy())).append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }
}
