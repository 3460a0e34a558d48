package io.seqloss.report;

import io.seqloss.compare.ComparisonResult;
import io.seqloss.output.RunSummary;
import io.seqloss.stats.LossByPosition.PositionPoint;
import io.seqloss.stats.LossHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * report.html of {@code compare}: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched) with the comparison's facts, a forest plot of the per-group Δ, both runs' loss by
 * position, the histogram of per-sequence differences and the pairs whose loss rose most. Every
 * number comes from the {@link ComparisonResult} written to comparison.json (facts carry its key
 * and value in data-key and data-value), from per_group_delta/ or from the runs' loss_by_position/.
 */
public final class CompareReportPage {
  private final ComparisonResult r;
  private final ComparisonCharts charts;
  private final StringBuilder html = new StringBuilder(64 * 1024);
  private final Facts facts = new Facts(html);

  private CompareReportPage(ComparisonResult r, ComparisonCharts charts) {
    this.r = r;
    this.charts = charts;
  }

  public static String render(ComparisonResult result, ComparisonCharts charts) {
    return new CompareReportPage(result, charts).page();
  }

  private String per() {
    return "nonzero_weights".equals(r.denominator()) ? "count of non-zero weights" : "weight sum";
  }

  private String page() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>seqloss comparison: ")
        .append(Html.escape(r.candidate()))
        .append(" against ")
        .append(Html.escape(r.baseline()))
        .append("</title><style>")
        .append(ReportStyle.CSS)
        .append("</style></head><body>\n");
    html.append("<header><h1>seqloss comparison report</h1><p class=\"lede\">")
        .append("Δ = L<sub>B</sub> − L<sub>A</sub> = <strong>")
        .append(Html.number(r.delta()))
        .append("</strong>");
    if (r.confidenceInterval() != null) {
      html.append(" (")
          .append(Facts.percent(r.confidenceLevel()))
          .append(" interval ")
          .append(Facts.interval(r.confidenceInterval()))
          .append(", p ")
          .append(r.pValue() < 1e-6 ? "&lt; 1e-6" : "= " + Html.number(r.pValue()))
          .append(')');
    }
    html.append(": the candidate B's loss is ")
        .append(Html.number(r.candidateLoss()))
        .append(" against the baseline A's ")
        .append(Html.number(r.baselineLoss()))
        .append(" on ")
        .append(Html.count(r.pairedSequences()))
        .append(" paired sequences; B is better on ")
        .append(Html.number(100 * r.candidateBetterShare()))
        .append(" % of them. A negative Δ means B is better.</p></header>\n<main>\n");
    facts();
    groups();
    position();
    differences();
    increases();
    html.append("</main><footer>Made by seqloss ")
        .append(Html.escape(r.seqlossVersion()))
        .append(" on Spark ")
        .append(Html.escape(r.sparkVersion()))
        .append(
            ". The numbers are those of comparison.json in the same directory (the groups: "
                + "per_group_delta/; the curves: each run's loss_by_position/); nothing on this "
                + "page is computed in the browser.</footer>\n</body></html>\n");
    return html.toString();
  }

  private void facts() {
    html.append("<section id=\"facts\"><h2>The comparison</h2><div class=\"facts\">");
    facts.group(
        "Difference",
        () -> {
          facts.fact("Δ = L_B − L_A", "delta", r.delta());
          facts.fact("baseline loss L_A", "baseline_loss", r.baselineLoss());
          facts.fact("candidate loss L_B", "candidate_loss", r.candidateLoss());
          facts.fact("standard error", "standard_error", r.standardError());
          facts.fact(
              "confidence interval",
              "confidence_interval",
              r.confidenceInterval() == null ? null : Facts.interval(r.confidenceInterval()),
              r.confidenceInterval());
          facts.fact("confidence level", "confidence_level", r.confidenceLevel());
          facts.fact("p-value (two-sided)", "p_value", r.pValue());
          if (r.bootstrap() != null) {
            facts.fact(
                "bootstrap interval",
                "bootstrap",
                Facts.interval(r.bootstrap().interval())
                    + " from "
                    + r.bootstrap().replicates()
                    + " replicates",
                r.bootstrap());
          }
          facts.fact("share where B is better", "candidate_better_share", r.candidateBetterShare());
        });
    facts.group(
        "Pairs",
        () -> {
          facts.fact("paired sequences", "paired_sequences", r.pairedSequences());
          facts.fact("B better", "candidate_better", r.candidateBetter());
          facts.fact("ties", "ties", r.ties());
          facts.fact("A better", "baseline_better", r.baselineBetter());
          facts.fact("only in A", "baseline_only", r.baselineOnly());
          facts.fact("only in B", "candidate_only", r.candidateOnly());
          facts.fact("denominator", "denominator", r.denominator());
          facts.fact("paired denominator sum", "paired_denominator_sum", r.pairedDenominatorSum());
          facts.fact("A's loss sum", "baseline_loss_sum", r.baselineLossSum());
          facts.fact("B's loss sum", "candidate_loss_sum", r.candidateLossSum());
        });
    facts.group(
        "Runs",
        () -> {
          facts.fact("baseline A", "baseline", r.baseline());
          facts.fact("candidate B", "candidate", r.candidate());
          facts.fact("loss function", "loss_function", r.lossFunction());
          facts.fact(
              "A's reduction",
              "baseline_reduction",
              flags(r.baselineReduction()),
              r.baselineReduction());
          facts.fact(
              "B's reduction",
              "candidate_reduction",
              flags(r.candidateReduction()),
              r.candidateReduction());
          facts.fact("grouped by", "group_by", r.groupBy());
          facts.fact("groups", "groups", r.groups());
          facts.fact("output", "output_dir", r.outputDir());
          facts.fact("elapsed seconds", "elapsed_seconds", r.elapsedSeconds());
          facts.fact("seqloss", "seqloss_version", r.seqlossVersion());
          facts.fact("Spark", "spark_version", r.sparkVersion());
        });
    html.append("</div></section>\n");
  }

  /** The reduction flags that are set, as the options name them. */
  private static String flags(RunSummary.ReductionFlags f) {
    List<String> set = new ArrayList<>();
    if (f.averageAcrossTimesteps()) {
      set.add("average_across_timesteps");
    }
    if (f.averageAcrossBatch()) {
      set.add("average_across_batch");
    }
    if (f.sumOverTimesteps()) {
      set.add("sum_over_timesteps");
    }
    if (f.sumOverBatch()) {
      set.add("sum_over_batch");
    }
    return set.isEmpty() ? "none (per-token losses)" : String.join(", ", set);
  }

  /** The forest plot: each group's Δ with its interval, a zero line, the overall Δ dashed. */
  private void groups() {
    if (r.groups() == null) {
      return;
    }
    List<ComparisonCharts.GroupDelta> plotted =
        charts.groups().stream().filter(g -> g.delta() != null).toList();
    String level = Facts.percent(r.confidenceLevel());
    html.append("<section id=\"groups\"><h2>Δ per group</h2><p id=\"groups-caption\">")
        .append("A forest plot of Δ = L<sub>B</sub> − L<sub>A</sub> within each group of ")
        .append(Html.escape(String.join(", ", r.groupBy())))
        .append(" (")
        .append(Html.count(r.groups()))
        .append(" groups, all in per_group_delta/): the dot is the group's Δ, the line its ")
        .append(level)
        .append(
            " interval (the sequences as the sample). Left of the solid zero line B is better;"
                + " the dashed line is the Δ of all paired sequences.");
    if (r.groups() > plotted.size()) {
      html.append(" Shown: the first ")
          .append(plotted.size())
          .append(" groups with weight, in key order.");
    }
    html.append("</p>");
    if (plotted.isEmpty()) {
      html.append("<p class=\"empty\">No group has weight.</p></section>\n");
      return;
    }
    double lo = Math.min(0.0, r.delta());
    double hi = Math.max(0.0, r.delta());
    for (ComparisonCharts.GroupDelta g : plotted) {
      lo = Math.min(lo, g.ciLow() == null ? g.delta() : g.ciLow());
      hi = Math.max(hi, g.ciHigh() == null ? g.delta() : g.ciHigh());
    }
    double pad = (hi - lo) * 0.05;
    Svg chart =
        new Svg(
            Svg.Scale.of(lo - pad, hi + pad),
            Svg.Scale.of(plotted.size() - 0.5, -0.5),
            70 + 24 * plotted.size(),
            180);
    chart.xAxis("Δ = L_B − L_A");
    chart.segment("zero", 0, -0.5, 0, plotted.size() - 0.5);
    chart.segment("corpus", r.delta(), -0.5, r.delta(), plotted.size() - 0.5);
    for (int i = 0; i < plotted.size(); i++) {
      ComparisonCharts.GroupDelta g = plotted.get(i);
      chart.rowLabel(i, name(g));
      if (g.ciLow() != null) {
        chart.segment("interval", g.ciLow(), i, g.ciHigh(), i);
      }
      chart.dot(
          "group",
          g.delta(),
          i,
          name(g) + ": Δ " + Html.number(g.delta()) + ", interval " + interval(g));
    }
    html.append(chart.toSvg("chart-groups", "groups-caption"));
    html.append("<table id=\"table-groups\" class=\"numbers\"><thead><tr><th>group</th><th>Δ</th>")
        .append("<th>")
        .append(level)
        .append(" interval</th><th>p-value</th><th>pairs</th></tr></thead><tbody>");
    for (ComparisonCharts.GroupDelta g : charts.groups()) {
      html.append("<tr><td class=\"id\" data-value=\"")
          .append(Html.escape(Facts.json(g.group())))
          .append("\">")
          .append(Html.escape(name(g)))
          .append("</td><td data-value=\"")
          .append(Facts.json(g.delta()))
          .append("\">")
          .append(Facts.text(g.delta()))
          .append("</td><td>")
          .append(interval(g))
          .append("</td><td>")
          .append(Facts.text(g.pValue()))
          .append("</td><td>")
          .append(Html.count(g.pairedSequences()))
          .append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  private static String interval(ComparisonCharts.GroupDelta g) {
    return g.ciLow() == null ? "—" : Facts.interval(List.of(g.ciLow(), g.ciHigh()));
  }

  private static String name(ComparisonCharts.GroupDelta g) {
    return String.join(
        ", ", g.group().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** Both runs' loss by position, each with its 95 % band, on one chart. */
  private void position() {
    html.append("<section id=\"position\"><h2>Loss by position</h2><p id=\"position-caption\">")
        .append("Each run's loss at each position (timestep), as saved in its loss_by_position/: ")
        .append("Σ w·loss / Σ ")
        .append(per())
        .append(" over the sequences long enough to reach that step, with its 95 % band. ")
        .append("<span class=\"swatch-a\">■</span> baseline A, ")
        .append("<span class=\"swatch-b\">■</span> candidate B. Where B's curve lies below A's, ")
        .append("B is better at those positions. Steps from ")
        .append(Html.count(1024))
        .append(" on are grouped, 64 groups per doubling. Over all sequences of each run, not ")
        .append("the paired ones only.</p>");
    List<PositionPoint> a = charts.baselineCurve();
    List<PositionPoint> b = charts.candidateCurve();
    if (a == null || b == null) {
      html.append("<p id=\"position-unavailable\" class=\"empty\">The curve is not available: ")
          .append(a == null ? "the baseline" : "the candidate")
          .append(a == null && b == null ? " and the candidate have" : " has")
          .append(
              " no loss_by_position/ (written by seqloss runs with their report since this "
                  + "version; rerun the evaluation without --no-report).</p></section>\n");
      return;
    }
    if (a.isEmpty() && b.isEmpty()) {
      html.append("<p class=\"empty\">No token was evaluated.</p></section>\n");
      return;
    }
    double lo = 0.0;
    double hi = Double.NEGATIVE_INFINITY;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (PositionPoint p : concat(a, b)) {
      first = Math.min(first, p.firstStep());
      last = Math.max(last, p.lastStep());
      for (Double v : new Double[] {p.loss(), p.lower(), p.upper()}) {
        if (v != null && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    Svg chart =
        new Svg(Svg.Scale.of(first - 0.5, last + 0.5), Svg.Scale.of(lo, hi + (hi - lo) * 0.05));
    chart.axes("position (timestep)", "loss", null, null);
    draw(chart, a, "a");
    draw(chart, b, "b");
    html.append(chart.toSvg("chart-position", "position-caption")).append("</section>\n");
  }

  private static List<PositionPoint> concat(List<PositionPoint> a, List<PositionPoint> b) {
    List<PositionPoint> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static void draw(Svg chart, List<PositionPoint> points, String side) {
    int n = points.size();
    double[] xs = new double[n];
    Double[] loss = new Double[n];
    Double[] lower = new Double[n];
    Double[] upper = new Double[n];
    for (int i = 0; i < n; i++) {
      PositionPoint p = points.get(i);
      xs[i] = (p.firstStep() + p.lastStep()) / 2.0;
      loss[i] = p.loss();
      lower[i] = p.lower();
      upper[i] = p.upper();
    }
    chart.band("band-" + side, xs, lower, upper).line("curve-" + side, xs, loss);
    if (n == 1 && loss[0] != null) {
      chart.dot("point-" + side, xs[0], loss[0], "loss " + Html.number(loss[0]));
    }
  }

  /** The exact histogram of L_B − L_A per paired sequence, with a zero line. */
  private void differences() {
    ComparisonResult.DeltaHistogram h = r.deltaHistogram();
    html.append(
            "<section id=\"differences\"><h2>Per-sequence differences</h2>"
                + "<p id=\"differences-caption\">How the change spreads over sequences: each paired "
                + "sequence's L<sub>B</sub> − L<sub>A</sub> (its loss over its own ")
        .append(per())
        .append(" in B minus the same in A), counted exactly in bars of width ")
        .append(Html.number(h.binWidth()))
        .append(", ")
        .append(Html.count(h.sequences()))
        .append(" sequences in all. Left of the zero line B is better. ");
    if (h.below() + h.above() > 0) {
      html.append(Html.count(h.below()))
          .append(" sequences below the 0.1th percentile and ")
          .append(Html.count(h.above()))
          .append(" above the 99.9th are not drawn. ");
    }
    if (h.undefined() > 0) {
      html.append(Html.count(h.undefined()))
          .append(" sequences without a difference (no weight) are left out.");
    }
    html.append("</p>");
    if (h.bins().isEmpty()) {
      html.append("<p class=\"empty\">No paired sequence has a difference.</p></section>\n");
      return;
    }
    List<Long> counts = h.bins().stream().map(ComparisonResult.Bin::sequences).toList();
    LossHistogram.Display d =
        new LossHistogram.Display(
            h.bins().get(0).lower(),
            h.binWidth(),
            counts,
            h.above(),
            h.undefined(),
            h.sequences(),
            h.below());
    html.append(
            Charts.histogram(
                d,
                "L_B − L_A per sequence",
                "sequences",
                0.0,
                "chart-differences",
                "differences-caption"))
        .append("</section>\n");
  }

  private void increases() {
    List<ComparisonResult.Increase> list = r.largestIncreases();
    html.append(
            "<section id=\"increases\"><h2>Where B lost most</h2><p id=\"increases-caption\">The ")
        .append(list.size())
        .append(
            " paired sequences whose loss rose most from A to B (largest L<sub>B</sub> − "
                + "L<sub>A</sub>), largest first; equal differences in id order. A negative difference means "
                + "B is better even there. "
                + "<code>--report-worst N</code> lists more or fewer.</p>")
        .append("<table id=\"table-increases\" aria-describedby=\"increases-caption\"><thead><tr>")
        .append("<th>#</th><th>id</th><th>L_B − L_A</th><th>L_A</th><th>L_B</th>")
        .append("<th>weight sum</th></tr></thead><tbody>");
    int rank = 1;
    for (ComparisonResult.Increase e : list) {
      html.append("<tr><td>")
          .append(rank++)
          .append("</td><td class=\"id\" data-value=\"")
          .append(Html.escape(Facts.json(e.id())))
          .append("\">")
          .append(Html.escape(String.valueOf(e.id())))
          .append("</td>");
      for (double v :
          new double[] {e.delta(), e.baselineLoss(), e.candidateLoss(), e.weightSum()}) {
        html.append("<td data-value=\"")
            .append(Facts.json(v))
            .append("\">")
            .append(Html.number(v))
            .append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table></section>\n");
  }
}
