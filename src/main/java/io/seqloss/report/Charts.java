package io.seqloss.report;

import io.seqloss.stats.LossHistogram;
import java.util.Locale;

/** Charts both reports draw. */
final class Charts {
  private Charts() {}

  /**
   * The bars of an exact histogram; {@code marker} (may be null) draws a dashed vertical line at
   * that value, widening the x range to hold it (zero, for differences).
   */
  static String histogram(
      LossHistogram.Display d,
      String xTitle,
      String yTitle,
      Double marker,
      String id,
      String captionId) {
    long max = d.counts().stream().mapToLong(Long::longValue).max().orElse(1);
    double from = d.start();
    double to = d.start() + d.width() * d.counts().size();
    if (marker != null) {
      from = Math.min(from, marker - d.width() / 2);
      to = Math.max(to, marker + d.width() / 2);
    }
    Svg chart = new Svg(Svg.Scale.of(from, to), Svg.Scale.of(0, max * 1.05));
    chart.axes(xTitle, yTitle, null, null);
    for (int i = 0; i < d.counts().size(); i++) {
      double lower = d.start() + i * d.width();
      chart.bar(
          "count",
          lower,
          lower + d.width(),
          d.counts().get(i),
          null,
          String.format(
              Locale.ROOT,
              "[%s, %s): %d sequences",
              Html.number(lower),
              Html.number(lower + d.width()),
              d.counts().get(i)));
    }
    if (marker != null) {
      chart.segment("zero", marker, 0, marker, max * 1.05);
    }
    return chart.toSvg(id, captionId);
  }
}
