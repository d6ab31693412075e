"""Where in the stage ladder is the EU-US gap widest?

Runs fundgap's macro gap model on each source's seed, early and later-stage
venture capital (OECD reports all three; NCSES only totals), and, when you give
round-level data covering both regions (--rounds), the regression of round size
on region x stage. Writes a CSV, a figure and a small workbook, and prints the
answer.

    python analyses/stage_ladder_gap.py [--series FILE] [--rounds FILE --source X] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import fundgap
from fundgap.report import figures
from fundgap.report.excel import Sheet, Table, write_workbook

HERE = Path(__file__).resolve().parent
STAGES = ("seed", "early", "later", "all")
TABLES = {"ncses": "SINV-31"}  # the NCSES table that holds both the US and the EU-27


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", help="aggregate statistics file (default: shipped OECD + NCSES)")
    p.add_argument("--rounds", help="round-level export covering the EU27 and the US (optional)")
    p.add_argument("--source", help="layout of --rounds")
    p.add_argument("--out", default=str(HERE / "output" / "stage_ladder_gap"))
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    series = (fundgap.read_series(args.series).data if args.series
              else fundgap.report.shipped_series())
    rows = []
    for src in sorted(series["source"].dropna().astype(str).unique()):
        for stage in STAGES:
            kw = {"table": TABLES[src]} if src in TABLES else {}
            try:
                res = fundgap.gap(series, source=src, stage_group=stage, aggregate_countries=True,
                                  **kw)
            except fundgap.FundgapError:
                continue  # this source does not report this stage for both regions
            f = res.to_frame()
            rows.append(f[f["metric"].astype(str).isin(["cumulative_ratio", "growth_ratio"])])
    ladder = pd.concat(rows, ignore_index=True)
    ladder.to_csv(out / "stage_ladder.csv", index=False)

    cum = ladder[ladder["metric"].astype(str) == "cumulative_ratio"].assign(
        stage_group=lambda d: d["stage_group"].astype(str))
    ax = figures.plot_depth(cum, metric=None, x="stage_group", hue="source", value="estimate",
                            unit="EU27 / US, cumulative over each source's years",
                            source=", ".join(sorted(cum["source"].astype(str).unique())),
                            title="EU27 venture capital as a share of the US, by stage")
    figures.save_figure(ax, out, "stage_ladder")

    sheets = [Sheet("Stage ladder", title="EU27 / US by stage and source",
                    tables=[Table(ladder, units={"estimate": "ratio or growth per year"})])]
    if args.rounds:
        rounds = fundgap.read_rounds(args.rounds, source=args.source).data
        cmp = fundgap.compare_regions(rounds, base="US")
        cmp.to_frame().to_csv(out / "round_size_ratios.csv", index=False)
        sheets.append(Sheet("Round size vs US", tables=[Table(cmp.to_frame())]))
    write_workbook(sheets, out / "stage_ladder_gap.xlsx")

    staged = cum[cum["stage_group"] != "all"]
    print("Where in the stage ladder is the EU-US gap widest?")
    for src, sub in staged.groupby(staged["source"].astype(str)):
        worst = sub.loc[sub["estimate"].idxmin()]
        parts = ", ".join(f"{g} {v:.3f}" for g, v in zip(sub["stage_group"], sub["estimate"]))
        print(f"  {src} ({worst['period']}): EU27/US by stage: {parts}; widest gap at the "
              f"{worst['stage_group']} stage (EU27 = {100 * worst['estimate']:.1f}% of the US)")
    missing = sorted(set(cum["source"].astype(str)) - set(staged["source"].astype(str)))
    for src in missing:
        print(f"  {src}: reports totals only, no stage split")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
