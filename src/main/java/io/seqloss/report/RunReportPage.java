package io.seqloss.report;

import io.seqloss.output.RunSummary;
import io.seqloss.stats.CalibrationBins;
import io.seqloss.stats.LossByPosition.PositionPoint;
import io.seqloss.stats.LossHistogram;
import io.seqloss.stats.RunStatistics;
import io.seqloss.stats.WorstSequences;
import java.util.List;
import java.util.Locale;

/**
 * report.html of a run: one self-contained page (inline CSS and SVG, no script, nothing fetched)
 * with the run's facts and four charts. Every number comes from the {@link RunSummary} written to
 * summary.json or from the in-pass {@link RunStatistics}; each fact carries its summary.json key
 * and JSON value in {@code data-key} and {@code data-value}, so a reader (or a test) can tie the
 * two.
 */
public final class RunReportPage {
  /**
   * Groups drawn in the dot-and-interval plot at most (the table lists every group summary.json
   * has).
   */
  private static final int PLOTTED_GROUPS = 40;

  /** Histogram bars at most. */
  private static final int HISTOGRAM_BARS = 60;

  private final RunSummary summary;
  private final RunStatistics statistics;
  private final StringBuilder html = new StringBuilder(64 * 1024);
  private final Facts facts = new Facts(html);

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
        .append("<title>seqloss report: ")
        .append(Html.escape(String.join(", ", summary.input().inputPaths())))
        .append("</title><style>")
        .append(ReportStyle.CSS)
        .append("</style></head><body>\n");
    html.append("<header><h1>seqloss evaluation report</h1><p class=\"lede\">");
    if (r.loss() != null) {
      html.append("Loss <strong>").append(Html.number(r.loss())).append("</strong>");
      List<Double> interval = summary.uncertainty().confidenceInterval();
      if (interval != null) {
        html.append(" (")
            .append(Facts.percent(summary.uncertainty().confidenceLevel()))
            .append(" interval ")
            .append(Facts.interval(interval))
            .append(')');
      }
      if (r.perplexity() != null) {
        html.append(" (perplexity ").append(Html.number(r.perplexity())).append(')');
      }
    } else {
      html.append("A ")
          .append(Html.escape(r.resultShape()))
          .append(" result (see the output directory)");
    }
    html.append(" over ")
        .append(Html.count(summary.totals().sequences()))
        .append(" sequences and ")
        .append(Html.count(summary.totals().tokens()))
        .append(" tokens of ")
        .append(Html.escape(String.join(", ", summary.input().inputPaths())))
        .append(".</p></header>\n<main>\n");
    facts();
    position();
    distribution();
    worst();
    calibration();
    slices();
    html.append("</main><footer>Made by seqloss ")
        .append(Html.escape(summary.run().seqlossVersion()))
        .append(" on Spark ")
        .append(Html.escape(summary.run().sparkVersion()))
        .append(
            ". The numbers are those of summary.json in the same directory; nothing on this page is computed ")
        .append("in the browser.</footer>\n</body></html>\n");
    return html.toString();
  }

  private void facts() {
    RunSummary.Result r = summary.result();
    RunSummary.Totals t = summary.totals();
    RunSummary.LossSpec l = summary.lossSpec();
    RunSummary.ReductionFlags f = summary.reduction();
    html.append("<section id=\"facts\"><h2>The run</h2><div class=\"facts\">");
    facts.group(
        "Result",
        () -> {
          facts.fact("loss", "loss", r.loss());
          RunSummary.Uncertainty u = summary.uncertainty();
          facts.fact("standard error", "standard_error", u.standardError());
          facts.fact(
              "confidence interval",
              "confidence_interval",
              u.confidenceInterval() == null ? null : Facts.interval(u.confidenceInterval()),
              u.confidenceInterval());
          facts.fact("confidence level", "confidence_level", u.confidenceLevel());
          if (u.bootstrap() != null) {
            facts.fact(
                "bootstrap interval",
                "bootstrap",
                Facts.interval(u.bootstrap().interval())
                    + " from "
                    + u.bootstrap().replicates()
                    + " replicates",
                u.bootstrap());
          }
          facts.fact("perplexity", "perplexity", r.perplexity());
          facts.fact("bits per token", "bits_per_token", r.bitsPerToken());
          facts.fact("accuracy", "accuracy", r.accuracy());
          facts.fact("top-k", "top_k", r.topK());
          facts.fact("top-k accuracy", "top_k_accuracy", r.topKAccuracy());
          facts.fact("expected calibration error", "ece", summary.calibration().ece());
          facts.fact("result shape", "result_shape", r.resultShape());
          facts.fact("result dims", "result_dims", r.resultDims());
        });
    facts.group(
        "Rows",
        () -> {
          facts.fact("input rows", "input_rows", t.inputRows());
          facts.fact("sequences", "sequences", t.sequences());
          facts.fact("invalid rows", "invalid_rows", t.invalidRows());
          facts.fact("duplicate ids", "duplicate_ids", t.duplicateIds());
          facts.fact("tokens", "tokens", t.tokens());
          facts.fact("weight sum", "weight_sum", t.weightSum());
          facts.fact("non-zero weights", "nonzero_weights", t.nonzeroWeights());
          facts.fact("loss sum", "loss_sum", t.lossSum());
          facts.fact("zero denominators", "zero_denominator", t.zeroDenominator());
        });
    facts.group(
        "Loss",
        () -> {
          facts.fact("loss function", "loss_function", l.lossFunction());
          facts.fact("options", "loss_options", l.lossOptions());
          facts.fact("ignore index", "ignore_index", l.ignoreIndex());
          facts.fact("class weights", "class_weights", l.classWeights());
          facts.fact("classes V", "num_classes", l.numClasses());
          facts.fact("V from", "num_classes_source", l.numClassesSource());
          facts.fact(
              "average_across_timesteps", "average_across_timesteps", f.averageAcrossTimesteps());
          facts.fact("average_across_batch", "average_across_batch", f.averageAcrossBatch());
          facts.fact("sum_over_timesteps", "sum_over_timesteps", f.sumOverTimesteps());
          facts.fact("sum_over_batch", "sum_over_batch", f.sumOverBatch());
        });
    facts.group(
        "Input and run",
        () -> {
          facts.fact("input", "input_paths", summary.input().inputPaths());
          facts.fact("input files", "input_files", summary.input().inputFiles());
          facts.fact(
              "skipped files",
              "skipped_files",
              summary.input().skippedFiles().size(),
              summary.input().skippedFiles());
          facts.fact(
              "all input rows counted",
              "all_input_rows_counted",
              summary.input().allInputRowsCounted());
          facts.fact("output", "output_dir", summary.output().outputDir());
          facts.fact("elapsed seconds", "elapsed_seconds", summary.run().elapsedSeconds());
          facts.fact("seqloss", "seqloss_version", summary.run().seqlossVersion());
          facts.fact("Spark", "spark_version", summary.run().sparkVersion());
        });
    html.append("</div></section>\n");
  }

  private void position() {
    List<PositionPoint> points = statistics.positions().points();
    String per = statistics.settings().byCount() ? "count of non-zero weights" : "weight";
    html.append(
            "<section id=\"position\"><h2>Loss by position</h2><p id=\"position-caption\">The loss at each ")
        .append("position (timestep), over the sequences long enough to reach it: Σ w·loss / Σ ")
        .append(per)
        .append(
            " at that step, the per-timestep result of <code>average_across_batch</code>. The shaded band is ")
        .append(
            "its 95 % interval (± 1.96 standard errors; the standard error treats the sequences as the ")
        .append("sample, by the delta method for a ratio). The grey bars (right axis) show the ")
        .append(per)
        .append(" sum at each step: where they are low the curve rests on few tokens. Steps from ")
        .append(Html.count(1024))
        .append(" on are grouped, 64 groups per doubling.</p>");
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
    Svg chart =
        new Svg(
            Svg.Scale.of(points.get(0).firstStep() - 0.5, points.get(n - 1).lastStep() + 0.5),
            Svg.Scale.of(lo, hi + (hi - lo) * 0.05));
    chart.axes("position (timestep)", "loss", weights, per + " sum");
    for (PositionPoint p : points) {
      chart.bar(
          "weight",
          p.firstStep() - 0.4,
          p.lastStep() + 0.4,
          p.weightSum(),
          weights,
          String.format(
              Locale.ROOT,
              "steps %d–%d: %s sum %s, %d tokens",
              p.firstStep(),
              p.lastStep(),
              per,
              Html.number(p.weightSum()),
              p.tokens()));
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
        .append(
            "<p id=\"distribution-caption\">How the loss spreads over sequences: each sequence's loss (Σ w·loss")
        .append(" over its own ")
        .append(statistics.settings().byCount() ? "count of non-zero weights" : "weight sum")
        .append(") counted exactly in bars of width ")
        .append(Html.number(d.width()))
        .append(", ")
        .append(Html.count(d.total()))
        .append(" sequences in all.");
    if (d.above() > 0) {
      html.append(' ')
          .append(Html.count(d.above()))
          .append(" sequences above the 99.9th percentile (from ")
          .append(Html.number(d.start() + d.width() * d.counts().size()))
          .append(" on) are not drawn.");
    }
    if (statistics.zeroDenominatorSequences() > 0) {
      html.append(' ')
          .append(Html.count(statistics.zeroDenominatorSequences()))
          .append(" sequences have no weight, so no loss, and are left out.");
    }
    if (d.nanCount() > 0) {
      html.append(' ')
          .append(Html.count(d.nanCount()))
          .append(" sequences with a NaN loss are left out.");
    }
    html.append("</p>");
    if (d.counts().isEmpty()) {
      html.append("<p class=\"empty\">No sequence has a loss.</p></section>\n");
      return;
    }
    html.append(
            Charts.histogram(
                d,
                "per-sequence loss",
                "sequences",
                null,
                "chart-histogram",
                "distribution-caption"))
        .append("</section>\n");
  }

  private void worst() {
    List<WorstSequences.Entry> entries = statistics.worst().worstFirst();
    html.append("<section id=\"worst\"><h2>Worst sequences</h2><p id=\"worst-caption\">The ")
        .append(entries.size())
        .append(" sequences with the highest loss (Σ w·loss over the sequence's ")
        .append(statistics.settings().byCount() ? "count of non-zero weights" : "weight sum")
        .append(
            "), worst first; equal losses in id order. <code>--report-worst N</code> lists more or fewer.</p>")
        .append(
            "<table id=\"table-worst\" aria-describedby=\"worst-caption\"><thead><tr><th>#</th><th>id</th>")
        .append(
            "<th>loss</th><th>tokens</th><th>weight sum</th><th>accuracy</th></tr></thead><tbody>");
    int rank = 1;
    for (WorstSequences.Entry e : entries) {
      html.append("<tr><td>")
          .append(rank++)
          .append("</td><td class=\"id\" data-value=\"")
          .append(Html.escape(Facts.json(e.id())))
          .append("\">")
          .append(Html.escape(String.valueOf(e.id())))
          .append("</td><td data-value=\"")
          .append(Facts.json(e.loss()))
          .append("\">")
          .append(Html.number(e.loss()))
          .append("</td><td>")
          .append(Html.count(e.tokens()))
          .append("</td><td data-value=\"")
          .append(Facts.json(e.weightSum()))
          .append("\">")
          .append(Html.number(e.weightSum()))
          .append("</td><td>")
          .append(Html.number(e.accuracy()))
          .append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  private void calibration() {
    RunSummary.Calibration c = summary.calibration();
    html.append(
            "<section id=\"calibration\"><h2>Calibration</h2><p id=\"calibration-caption\">A reliability ")
        .append(
            "diagram: tokens grouped by the softmax probability of their most likely class (15 equal-width ")
        .append(
            "bins, each token counted with its weight). A bar's height is how often that class was the ")
        .append(
            "target (accuracy); the dark tick is the bin's mean probability (confidence). A calibrated model's ")
        .append(
            "bars reach the diagonal. Expected calibration error (the weighted mean gap): <strong data-key=")
        .append("\"ece\" data-value=\"")
        .append(Html.escape(Facts.json(c.ece())))
        .append("\">")
        .append(Facts.text(c.ece()))
        .append("</strong>.</p>");
    Svg chart = new Svg(Svg.Scale.of(0, 1), Svg.Scale.of(0, 1));
    chart.axes("confidence (top-1 probability)", "accuracy", null, null);
    chart.segment("diagonal", 0, 0, 1, 1);
    for (CalibrationBins.Bin b : c.calibrationBins()) {
      if (b.accuracy() == null) {
        continue;
      }
      chart.bar(
          "accuracy",
          b.lower() + 0.004,
          b.upper() - 0.004,
          b.accuracy(),
          null,
          String.format(
              Locale.ROOT,
              "[%s, %s): accuracy %s, confidence %s, %d tokens",
              Html.number(b.lower()),
              Html.number(b.upper()),
              Html.number(b.accuracy()),
              Html.number(b.confidence()),
              b.tokens()));
      chart.segment(
          "confidence", b.lower() + 0.004, b.confidence(), b.upper() - 0.004, b.confidence());
    }
    html.append(chart.toSvg("chart-calibration", "calibration-caption"));
    html.append(
            "<table id=\"table-calibration\"><thead><tr><th>probability</th><th>tokens</th><th>weight</th>")
        .append("<th>confidence</th><th>accuracy</th></tr></thead><tbody>");
    for (CalibrationBins.Bin b : c.calibrationBins()) {
      html.append("<tr><td>[")
          .append(Html.number(b.lower()))
          .append(", ")
          .append(Html.number(b.upper()))
          .append(")</td><td>")
          .append(Html.count(b.tokens()))
          .append("</td><td data-value=\"")
          .append(Facts.json(b.weightSum()))
          .append("\">")
          .append(Html.number(b.weightSum()))
          .append("</td><td data-value=\"")
          .append(Facts.json(b.confidence()))
          .append("\">")
          .append(Facts.text(b.confidence()))
          .append("</td><td data-value=\"")
          .append(Facts.json(b.accuracy()))
          .append("\">")
          .append(Facts.text(b.accuracy()))
          .append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  /**
   * --group-by and --length-buckets: every group's loss with its interval, as a table and a plot.
   */
  private void slices() {
    RunSummary.Slices slices = summary.slices();
    if (slices == null || slices.groups() == null) {
      return;
    }
    List<RunSummary.GroupResult> groups = slices.groupResults();
    String level = Facts.percent(summary.uncertainty().confidenceLevel());
    html.append(
            "<section id=\"slices\"><h2>Slices</h2><p id=\"slices-caption\">The loss of each group of ")
        .append(Html.escape(String.join(", ", keyColumns(slices))))
        .append(" (")
        .append(Html.count(slices.groups()))
        .append(" groups, all in per_group/), each with its ")
        .append(level)
        .append(" interval (the sequences as ")
        .append(
            "the sample). The dots are the groups' losses, the lines their intervals, the dashed line the ")
        .append("corpus loss.");
    if (groups == null) {
      html.append(
          " There are too many groups to show here; per_group/ holds them all.</p></section>\n");
      return;
    }
    if (groups.size() > PLOTTED_GROUPS) {
      html.append(" The plot shows the first ")
          .append(PLOTTED_GROUPS)
          .append("; the table lists all.");
    }
    html.append("</p>");
    List<RunSummary.GroupResult> plotted =
        groups.subList(0, Math.min(PLOTTED_GROUPS, groups.size()));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (RunSummary.GroupResult g : plotted) {
      List<Double> ci = g.confidenceInterval();
      lo = Math.min(lo, ci == null ? g.loss() : ci.get(0));
      hi = Math.max(hi, ci == null ? g.loss() : ci.get(1));
    }
    if (summary.result().loss() != null) {
      lo = Math.min(lo, summary.result().loss());
      hi = Math.max(hi, summary.result().loss());
    }
    double pad = (hi - lo) * 0.05;
    int height = 70 + 24 * plotted.size();
    Svg chart =
        new Svg(
            Svg.Scale.of(lo - pad, hi + pad),
            Svg.Scale.of(plotted.size() - 0.5, -0.5),
            height,
            180);
    chart.xAxis("loss");
    if (summary.result().loss() != null) {
      chart.segment(
          "corpus", summary.result().loss(), -0.5, summary.result().loss(), plotted.size() - 0.5);
    }
    for (int i = 0; i < plotted.size(); i++) {
      RunSummary.GroupResult g = plotted.get(i);
      chart.rowLabel(i, groupName(g));
      if (g.confidenceInterval() != null) {
        chart.segment(
            "interval", g.confidenceInterval().get(0), i, g.confidenceInterval().get(1), i);
      }
      chart.dot(
          "group",
          g.loss(),
          i,
          groupName(g)
              + ": loss "
              + Html.number(g.loss())
              + ", interval "
              + Facts.interval(g.confidenceInterval()));
    }
    html.append(chart.toSvg("chart-slices", "slices-caption"));
    html.append("<table id=\"table-slices\"><thead><tr><th>group</th><th>loss</th><th>")
        .append(level)
        .append(
            " interval</th><th>sequences</th><th>tokens</th><th>accuracy</th></tr></thead><tbody>");
    for (RunSummary.GroupResult g : groups) {
      html.append("<tr><td class=\"id\" data-value=\"")
          .append(Html.escape(Facts.json(g.group())))
          .append("\">")
          .append(Html.escape(groupName(g)))
          .append("</td><td data-value=\"")
          .append(Facts.json(g.loss()))
          .append("\">")
          .append(Html.number(g.loss()))
          .append("</td><td data-value=\"")
          .append(Html.escape(Facts.json(g.confidenceInterval())))
          .append("\">")
          .append(Facts.interval(g.confidenceInterval()))
          .append("</td><td>")
          .append(Html.count(g.sequences()))
          .append("</td><td>")
          .append(Html.count(g.tokens()))
          .append("</td><td>")
          .append(Html.number(g.accuracy()))
          .append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  private static List<String> keyColumns(RunSummary.Slices slices) {
    List<String> columns =
        new java.util.ArrayList<>(slices.groupBy() == null ? List.of() : slices.groupBy());
    if (slices.lengthBuckets() != null && !slices.lengthBuckets().isEmpty()) {
      columns.add("length_bucket");
    }
    return columns;
  }

  private static String groupName(RunSummary.GroupResult g) {
    return String.join(
        ", ", g.group().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }
}
