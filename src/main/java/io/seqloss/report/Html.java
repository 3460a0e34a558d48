package io.seqloss.report;

import java.util.Locale;

/** Escaping and number formats of the report. */
final class Html {
  private Html() {}

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A measured number as shown: 6 significant digits, no exponent for ordinary magnitudes. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v != 0.0 && (Math.abs(v) >= 1e7 || Math.abs(v) < 1e-4)) {
      return String.format(Locale.ROOT, "%.5e", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(6))
        .stripTrailingZeros()
        .toPlainString();
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** An axis tick: short, with no binary-fraction noise. */
  static String tick(double v) {
    if (v != 0.0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) {
      return String.format(Locale.ROOT, "%.0e", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
