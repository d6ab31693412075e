"""Where in the stage ladder is the EU-US gap widest?

Renders the stage-ladder findings of ``fundgap.findings``: EU-27 / US venture
capital at the seed, early and later stage (the OECD is the one shipped source
that splits stages; NCSES reports totals only), latest year and five-year mean,
and the ranking rule (a stage is "widest" only if it has the lowest ratio in
every year of the window). With --rounds (an export covering two or more
regions) the round sizes by stage per region, with intervals, are added.
Writes the findings as CSV and a workbook, and a figure of the ratios by year.

    python analyses/stage_ladder_gap.py [--series FILE] [--rounds FILE --source X] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import fundgap
from fundgap.report import figures
from fundgap.report.excel import Sheet, Table, write_workbook

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", help="aggregate statistics file (default: shipped OECD + NCSES)")
    p.add_argument("--rounds", help="round-level export covering two or more regions (optional)")
    p.add_argument("--source", help="layout of --rounds (default: recognised from the header)")
    p.add_argument("--out", default=str(HERE / "output" / "stage_ladder_gap"))
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        series = fundgap.read_series(args.series) if args.series else None
        rounds = fundgap.read_rounds(args.rounds, source=args.source) if args.rounds else None
        found = fundgap.findings(rounds, series=series, n_sims=0)
    except fundgap.FundgapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    ladder = found.select("ladder", "round_size")
    table = ladder.to_frame()
    ladder.to_csv(out / "stage_ladder.csv")

    gaps = [r.to_frame() for k, r in found.results.items()
            if k.startswith("gap:oecd:") and ":EU27/US:" in k and k.endswith(":USD_M")]
    ratios = pd.concat(gaps, ignore_index=True) if gaps else pd.DataFrame()
    if len(ratios):
        ratios = ratios[(ratios["metric"] == "ratio") & ratios["year"].notna()]
        ax = figures.plot_gap(ratios, hue="stage_group", unit="EU-27 as a share of the US",
                              percent=True,
                              title="EU-27 venture capital as a share of the US, by stage",
                              source="OECD venture capital investments (each line one stage; "
                                     "annual ratios, no interval)")
        figures.save_figure(ax, out, "stage_ladder")
    write_workbook([Sheet("Stage ladder", title="EU-27 / US by stage: the findings",
                          tables=[Table(table.drop(columns=["headline_rank"]))])],
                   out / "stage_ladder_gap.xlsx")

    print("Where in the stage ladder is the EU-US gap widest?")
    print(ladder.to_text())
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
