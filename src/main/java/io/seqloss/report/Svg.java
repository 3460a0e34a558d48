package io.seqloss.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart drawn as inline SVG: a plot area with linear axes, and the shapes the report needs
 * (lines, bands, bars, dots). Coordinates are in a fixed viewBox that the page scales to its width,
 * so the file needs no script and prints as it shows.
 */
final class Svg {
  static final int WIDTH = 760;
  static final int CHART_HEIGHT = 320;
  private final int height;
  private final int left;
  private static final int RIGHT = 64;
  private static final int TOP = 16;
  private static final int BOTTOM = 48;

  private final StringBuilder body = new StringBuilder();
  private final Scale x;
  private final Scale y;

  Svg(Scale x, Scale y) {
    this(x, y, CHART_HEIGHT, 64);
  }

  /** A chart of another height, with {@code left} pixels for the y axis's labels. */
  Svg(Scale x, Scale y, int height, int left) {
    this.height = height;
    this.left = left;
    this.x = x.onto(left, WIDTH - RIGHT);
    this.y = y.onto(height - BOTTOM, TOP);
  }

  /** A linear map from a data range to a pixel range. */
  record Scale(double min, double max, double from, double to) {
    static Scale of(double min, double max) {
      // A range a few ulps wide (groups with all but equal losses) is widened like an empty one:
      // its ticks would be steps too small to move a double.
      boolean tiny = max > min && max - min <= 1e-9 * Math.max(Math.abs(min), Math.abs(max));
      if (!(max > min) || tiny) {
        double pad = min == 0.0 ? 1.0 : Math.abs(min) * 0.1;
        return new Scale(min - pad, max + pad, 0, 1);
      }
      return new Scale(min, max, 0, 1);
    }

    Scale onto(double pixelFrom, double pixelTo) {
      return new Scale(min, max, pixelFrom, pixelTo);
    }

    double at(double v) {
      return from + (v - min) / (max - min) * (to - from);
    }

    /**
     * About {@code count} round tick values inside the range (steps of 1, 2 or 5 times a power of
     * ten).
     */
    List<Double> ticks(int count) {
      double raw = (max - min) / count;
      double power = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = power;
      for (double m : new double[] {1, 2, 5, 10}) {
        step = m * power;
        if (step >= raw) {
          break;
        }
      }
      List<Double> ticks = new ArrayList<>();
      if (!(step > 0) || Double.isInfinite(step)) {
        return ticks;
      }
      for (double v = Math.ceil(min / step) * step;
          v <= max + step * 1e-9 && ticks.size() <= 4 * count;
          v += step) {
        ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
      }
      return ticks;
    }
  }

  Scale x() {
    return x;
  }

  Scale y() {
    return y;
  }

  /** The axes: ticks, grid lines and titles; {@code right} (may be null) is a second y axis. */
  Svg axes(String xTitle, String yTitle, Scale right, String rightTitle) {
    body.append("<g class=\"axis\">");
    for (double v : y.ticks(5)) {
      double py = y.at(v);
      body.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
              left,
              WIDTH - RIGHT,
              py,
              py));
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              left - 6,
              py + 4,
              Html.tick(v)));
    }
    for (double v : x.ticks(8)) {
      double px = x.at(v);
      body.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
              px,
              px,
              height - BOTTOM,
              height - BOTTOM + 5));
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              px,
              height - BOTTOM + 18,
              Html.tick(v)));
    }
    body.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
            left,
            WIDTH - RIGHT,
            height - BOTTOM,
            height - BOTTOM));
    body.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            (left + WIDTH - RIGHT) / 2,
            height - 10,
            Html.escape(xTitle)));
    body.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
            (TOP + height - BOTTOM) / 2,
            Html.escape(yTitle)));
    if (right != null) {
      Scale r = right.onto(height - BOTTOM, TOP);
      for (double v : r.ticks(5)) {
        body.append(
            String.format(
                Locale.ROOT,
                "<text class=\"secondary\" x=\"%d\" y=\"%.1f\">%s</text>",
                WIDTH - RIGHT + 6,
                r.at(v) + 4,
                Html.tick(v)));
      }
      body.append(
          String.format(
              Locale.ROOT,
              "<text class=\"secondary\" transform=\"translate(%d %d) rotate(90)\" text-anchor=\"middle\">%s</text>",
              WIDTH - 12,
              (TOP + height - BOTTOM) / 2,
              Html.escape(rightTitle)));
    }
    body.append("</g>");
    return this;
  }

  /**
   * A bar from {@code x0} to {@code x1} of height {@code value} on the given y scale (the chart's
   * when null).
   */
  Svg bar(String cssClass, double x0, double x1, double value, Scale onY, String title) {
    Scale s = onY == null ? y : onY.onto(height - BOTTOM, TOP);
    double px0 = x.at(x0);
    double px1 = x.at(x1);
    double base = s.at(Math.max(s.min(), 0.0));
    double top = s.at(value);
    body.append(
        String.format(
            Locale.ROOT,
            "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
            cssClass,
            Math.min(px0, px1),
            Math.min(base, top),
            Math.max(0.5, Math.abs(px1 - px0)),
            Math.abs(base - top),
            Html.escape(title)));
    return this;
  }

  /** A polyline through the points; a null y breaks the line. */
  Svg line(String cssClass, double[] xs, Double[] ys) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < xs.length; i++) {
      if (ys[i] == null) {
        pen = false;
        continue;
      }
      d.append(
          String.format(Locale.ROOT, "%s%.1f %.1f ", pen ? "L" : "M", x.at(xs[i]), y.at(ys[i])));
      pen = true;
    }
    body.append("<path class=\"")
        .append(cssClass)
        .append("\" d=\"")
        .append(d.toString().trim())
        .append("\"/>");
    return this;
  }

  /** A filled band between lower and upper; a null bound breaks it. */
  Svg band(String cssClass, double[] xs, Double[] lower, Double[] upper) {
    int i = 0;
    while (i < xs.length) {
      while (i < xs.length && (lower[i] == null || upper[i] == null)) {
        i++;
      }
      int start = i;
      while (i < xs.length && lower[i] != null && upper[i] != null) {
        i++;
      }
      if (i - start >= 1) {
        StringBuilder d = new StringBuilder();
        for (int j = start; j < i; j++) {
          d.append(
              String.format(
                  Locale.ROOT,
                  "%s%.1f %.1f ",
                  j == start ? "M" : "L",
                  x.at(xs[j]),
                  y.at(upper[j])));
        }
        for (int j = i - 1; j >= start; j--) {
          d.append(String.format(Locale.ROOT, "L%.1f %.1f ", x.at(xs[j]), y.at(lower[j])));
        }
        body.append("<path class=\"").append(cssClass).append("\" d=\"").append(d).append("Z\"/>");
      }
    }
    return this;
  }

  /** A label left of the plot area at data height {@code vy}. */
  Svg rowLabel(double vy, String text) {
    body.append(
        String.format(
            Locale.ROOT,
            "<text class=\"row-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s" + "</text>",
            left - 8,
            y.at(vy) + 4,
            Html.escape(text)));
    return this;
  }

  /** The x axis alone (ticks, grid lines, title), for charts whose rows are labelled one by one. */
  Svg xAxis(String xTitle) {
    body.append("<g class=\"axis\">");
    for (double v : x.ticks(8)) {
      double px = x.at(v);
      body.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
              px,
              px,
              TOP,
              height - BOTTOM));
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              px,
              height - BOTTOM + 18,
              Html.tick(v)));
    }
    body.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text></g>",
            (left + WIDTH - RIGHT) / 2,
            height - 10,
            Html.escape(xTitle)));
    return this;
  }

  Svg dot(String cssClass, double vx, double vy, String title) {
    body.append(
        String.format(
            Locale.ROOT,
            "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"><title>%s</title>"
                + "</circle>",
            cssClass,
            x.at(vx),
            y.at(vy),
            Html.escape(title)));
    return this;
  }

  Svg segment(String cssClass, double x0, double y0, double x1, double y1) {
    body.append(
        String.format(
            Locale.ROOT,
            "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
            cssClass,
            x.at(x0),
            y.at(y0),
            x.at(x1),
            y.at(y1)));
    return this;
  }

  /** The finished element, labelled for screen readers by the caption with id {@code captionId}. */
  String toSvg(String id, String captionId) {
    return String.format(
        Locale.ROOT,
        "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
            + "aria-labelledby=\"%s\">%s</svg>",
        id,
        WIDTH,
        height,
        captionId,
        body);
  }
}
