"""How much do the sources disagree about the EU-US gap?

Runs the same gap model (fundgap.gap) on each source alone: the OECD market
statistics (fund-reported) and the NCSES tables (PitchBook deal data), never
blending them. Puts, year by year, each source's US and EU27 totals and the
EU27/US ratio side by side, and how many times one source's ratio is the other's.

    python analyses/source_disagreement.py [--series FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import fundgap
from fundgap.report import figures
from fundgap.report.excel import Sheet, Table, write_workbook

HERE = Path(__file__).resolve().parent
TABLES = {"ncses": "SINV-31"}  # the NCSES table that holds both the US and the EU-27


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--series", help="aggregate statistics file (default: shipped OECD + NCSES)")
    p.add_argument("--out", default=str(HERE / "output" / "source_disagreement"))
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    series = (fundgap.read_series(args.series).data if args.series
              else fundgap.report.shipped_series())
    frames = []
    for src in sorted(series["source"].dropna().astype(str).unique()):
        kw = {"table": TABLES[src]} if src in TABLES else {}
        try:
            frames.append(fundgap.gap(series, source=src, aggregate_countries=True, **kw)
                          .to_frame())
        except fundgap.FundgapError as exc:
            print(f"  {src}: skipped ({exc})")
    tidy = pd.concat(frames, ignore_index=True)
    tidy.to_csv(out / "gap_by_source.csv", index=False)
    yearly = tidy[tidy["year"].notna() & tidy["metric"].isin(["base_value", "against_value",
                                                             "ratio"])]
    side = yearly.pivot_table(index="year", columns=["metric", "source"], values="estimate",
                              aggfunc="first")
    side.columns = [f"{m} ({s})" for m, s in side.columns]
    side = side.reset_index().assign(year=lambda d: d["year"].astype(int))
    sources = sorted(tidy["source"].astype(str).unique())
    if len(sources) == 2:
        a, b = sources
        side[f"ratio {a} / ratio {b}"] = side[f"ratio ({a})"] / side[f"ratio ({b})"]
    side.to_csv(out / "side_by_side.csv", index=False)
    write_workbook([Sheet("Side by side", title="EU27 vs US by source (USD million, current "
                                               "prices; ratio EU27 / US)",
                          tables=[Table(side)]),
                    Sheet("Tidy", tables=[Table(tidy)])], out / "source_disagreement.xlsx")

    ratio = tidy[(tidy["metric"] == "ratio") & tidy["year"].notna()]
    ax = figures.plot_gap(ratio, hue="source", unit="ratio EU27 / US",
                          title="EU27 / US venture capital: each source on its own",
                          source=", ".join(sources))
    figures.save_figure(ax, out, "ratio_by_source")

    print("How much do the sources disagree?")
    both = side.dropna()
    for src in sources:
        r = side[["year", f"ratio ({src})"]].dropna()
        last = r.iloc[-1]
        print(f"  {src}: EU27 = {100 * last.iloc[1]:.1f}% of the US in {int(last['year'])}")
    if len(sources) == 2 and len(both):
        last = both.iloc[-1]
        col = f"ratio {sources[0]} / ratio {sources[1]}"
        print(f"  in {int(last['year'])}, the last year both report, {sources[0]}'s ratio is "
              f"{last[col]:.1f} times {sources[1]}'s; over {int(both['year'].min())}-"
              f"{int(both['year'].max())} it ranges {both[col].min():.1f}-{both[col].max():.1f}x")
        for m in ("base_value", "against_value"):
            c0, c1 = f"{m} ({sources[0]})", f"{m} ({sources[1]})"
            print(f"  {'US' if m == 'base_value' else 'EU27'} VC in {int(last['year'])}: "
                  f"{sources[0]} USD {last[c0] / 1000:,.1f}bn vs {sources[1]} "
                  f"USD {last[c1] / 1000:,.1f}bn")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
