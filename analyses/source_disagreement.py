"""How much do the sources (OECD, NCSES) disagree?

Renders the totals findings of ``fundgap.findings``: EU-27 / US from the OECD
(fund-reported statistics for Europe) and from NCSES table SINV-31 (PitchBook
deal data), China beside them, and the two sources set side by side for the
latest year both cover. Never a blend: each number names its source. Writes the
findings and the ratios by year (one column per source) as CSV and a workbook,
and a figure with one line per source.

    python analyses/source_disagreement.py [--series FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import fundgap
from fundgap.report import figures
from fundgap.report.excel import Sheet, Table, write_workbook

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", help="aggregate statistics file (default: shipped OECD + NCSES)")
    p.add_argument("--out", default=str(HERE / "output" / "source_disagreement"))
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        series = fundgap.read_series(args.series) if args.series else None
        found = fundgap.findings(series=series, n_sims=0)
    except fundgap.FundgapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    totals = found.select("totals")
    comparison = found.results.get("compare_sources")
    sheets = [Sheet("Findings", title="EU-27, US and China: each source on its own",
                    tables=[Table(totals.to_frame().drop(columns=["headline_rank"]))])]
    totals.to_csv(out / "findings.csv")
    if comparison is not None:
        side = comparison.side_by_side("ratio").reset_index()
        side.columns = [str(c) for c in side.columns]
        fundgap.report.write_table(side, out / "side_by_side.csv")
        sheets.append(Sheet("Side by side", title="EU-27 / US by source (ratio)",
                            tables=[Table(side, units="ratio EU27 / US")]))
        frame = comparison.to_frame()
        ratio = frame[(frame["metric"] == "ratio") & frame["year"].notna()]
        ratio = ratio.assign(source=ratio["source"].astype(str).str.upper())
        ax = figures.plot_gap(ratio, hue="source", unit="EU-27 as a share of the US",
                              percent=True,
                              title="EU-27 / US venture capital: each source on its own",
                              source="OECD venture capital investments; NCSES table SINV-31 "
                                     "(never blended)")
        figures.save_figure(ax, out, "ratio_by_source")
    write_workbook(sheets, out / "source_disagreement.xlsx")

    print("How much do the sources disagree?")
    print(totals.to_text())
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
