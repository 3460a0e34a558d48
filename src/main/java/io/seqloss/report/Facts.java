package io.seqloss.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;

/**
 * The facts tables of a report: each fact carries its JSON key and JSON value (summary.json's or
 * comparison.json's) in {@code data-key} and {@code data-value}, so a reader (or a test) can tie
 * the page to the file; and the number formats the pages share.
 */
final class Facts {
  /** The JSON files' naming, so that data-value holds what they hold. */
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final StringBuilder html;

  Facts(StringBuilder html) {
    this.html = html;
  }

  void group(String title, Runnable rows) {
    html.append("<table class=\"fact-group\"><caption>")
        .append(Html.escape(title))
        .append("</caption><tbody>");
    rows.run();
    html.append("</tbody></table>");
  }

  void fact(String label, String key, Object value) {
    fact(label, key, value, value);
  }

  /** One fact: {@code shown} as text, {@code value} (its JSON value) in data-value. */
  void fact(String label, String key, Object shown, Object value) {
    html.append("<tr><th>")
        .append(Html.escape(label))
        .append("</th><td data-key=\"")
        .append(key)
        .append("\" data-value=\"")
        .append(Html.escape(json(value)))
        .append("\">")
        .append(Html.escape(text(shown)))
        .append("</td></tr>");
  }

  static String text(Object v) {
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
      return list.isEmpty()
          ? "none"
          : String.join(", ", list.stream().map(String::valueOf).toList());
    }
    if (v instanceof java.util.Map<?, ?> map) {
      return map.isEmpty() ? "none" : json(map);
    }
    return String.valueOf(v);
  }

  static String interval(List<Double> bounds) {
    return bounds == null
        ? "—"
        : "[" + Html.number(bounds.get(0)) + ", " + Html.number(bounds.get(1)) + "]";
  }

  static String percent(double level) {
    return Html.number(level * 100) + " %";
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }
}
