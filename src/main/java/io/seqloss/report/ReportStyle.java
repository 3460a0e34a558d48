package io.seqloss.report;

/** The report's stylesheet, inlined in the page: readable on a laptop, printable on A4. */
final class ReportStyle {
  private ReportStyle() {}

  static final String CSS =
      """
      :root{--ink:#1d2330;--muted:#5b6475;--line:#d5dae3;--accent:#2458b3;--band:#9db8e8;--bar:#c9ced8;--b:#c2571a}
      *{box-sizing:border-box}
      body{margin:0 auto;max-width:1100px;padding:1.2rem 1.5rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",
      Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
      h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.2rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line)}
      .lede{font-size:1.05rem;margin:0 0 .8rem;color:var(--muted)}.lede strong{color:var(--ink)}
      p{max-width:60rem;color:var(--muted);margin:.3rem 0 .6rem}
      .facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.4rem 1.4rem}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums}
      .fact-group caption{text-align:left;font-weight:600;padding:.2rem 0}
      .fact-group th{text-align:left;font-weight:normal;color:var(--muted);padding:.1rem .8rem .1rem 0;vertical-align:top}
      .fact-group td{padding:.1rem 0;overflow-wrap:anywhere;vertical-align:top}
      #table-worst,#table-calibration{margin:.4rem 0;font-size:.92rem}
      #table-worst th,#table-worst td,#table-calibration th,#table-calibration td{border-bottom:1px solid var(--line);
      padding:.2rem .7rem;text-align:right}
      #table-worst td.id{text-align:left;overflow-wrap:anywhere;max-width:28rem}
      svg.chart{display:block;width:100%;max-width:900px;height:auto;font-size:12px}
      svg .axis line{stroke:#7a8291}svg .axis .grid{stroke:#eceff4}svg .axis text{fill:#4a5263}
      svg .axis .secondary{fill:#8a909c}
      svg .curve{fill:none;stroke:var(--accent);stroke-width:2}svg .band{fill:var(--band);opacity:.55}
      svg .weight{fill:var(--bar);opacity:.55}svg .count{fill:var(--accent);opacity:.8}
      svg .accuracy{fill:var(--band)}svg .confidence{stroke:var(--ink);stroke-width:2}
      svg .diagonal{stroke:#b03a2e;stroke-dasharray:5 4}svg .point{fill:var(--accent)}
      svg .interval{stroke:var(--accent);stroke-width:2}svg .group{fill:var(--ink)}
      svg .corpus{stroke:#b03a2e;stroke-dasharray:5 4}svg .row-label{fill:var(--ink)}
      #table-slices{margin:.4rem 0;font-size:.92rem}
      #table-slices th,#table-slices td{border-bottom:1px solid var(--line);padding:.2rem .7rem;text-align:right}
      #table-slices td.id{text-align:left}
      #table-increases,#table-groups{margin:.4rem 0;font-size:.92rem}
      #table-increases th,#table-increases td,#table-groups th,#table-groups td{border-bottom:1px solid var(--line);
      padding:.2rem .7rem;text-align:right}
      #table-increases td.id,#table-groups td.id{text-align:left;overflow-wrap:anywhere;max-width:28rem}
      svg .curve-a{fill:none;stroke:var(--accent);stroke-width:2}svg .band-a{fill:var(--band);opacity:.45}
      svg .curve-b{fill:none;stroke:var(--b);stroke-width:2}svg .band-b{fill:#f0b48a;opacity:.45}
      svg .point-a{fill:var(--accent)}svg .point-b{fill:var(--b)}svg .zero{stroke:var(--ink);stroke-width:1.5}
      .swatch-a{color:var(--accent)}.swatch-b{color:var(--b)}
      .empty{font-style:italic}
      footer{margin-top:2rem;font-size:.85rem;color:var(--muted)}
      @media print{body{max-width:none;padding:0;font-size:11pt}section{break-inside:avoid}
      svg.chart{max-width:17cm}h2{break-after:avoid}}
      """;
}
