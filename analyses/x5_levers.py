"""What does growing European capital fivefold in ten years do, lever by lever?

Renders the x5 findings of ``fundgap.findings``: the EU-27 / US ratio reached with
the US flat, on its fitted trend (window, rate and interval stated, checked
against a plausibility band) and growing with its GDP; the first year EU-27
capital reaches half of the US; and, lever by lever (bigger funds, more funds, a
mix), the largest round an average EU fund can lead against a US one. No regional
fund-size distribution is shipped, so fund sizes are the European Commission's
published 2017 averages (points). Writes the findings, the projection and its
Monte Carlo fan as CSV, and a fan chart.

    python analyses/x5_levers.py [--multiple 5] [--years 10] [--sims 2000] [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import fundgap
from fundgap.report import figures

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--multiple", type=float, default=5.0)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--lever", default="bigger_funds",
                   choices=["bigger_funds", "more_funds", "mix"])
    p.add_argument("--sims", type=int, default=2000)
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", default=str(HERE / "output" / "x5_levers"))
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        found = fundgap.findings(multiple=args.multiple, horizon=args.years, lever=args.lever,
                                 n_sims=args.sims, seed=args.seed)
    except fundgap.FundgapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    x5 = found.select("x5")
    x5.to_csv(out / "findings.csv")
    scenario = found.results["scenario"]
    scenario.to_csv(out / "levers_central.csv")
    fundgap.report.write_table(found.results["tables"]["levers"], out / "levers.csv")
    if args.sims:
        fan = scenario.fan()
        fundgap.report.write_table(fan, out / "levers_fan.csv")
        sub = fan[(fan["region"] == "EU27") & (fan["variable"] == "ratio_to_US")
                  & (fan["stage_group"] == "later")]
        levers = found.results["tables"]["levers"]
        ratio = levers[(levers["variable"] == "ratio_to_US") & (levers["stage_group"] == "later")]
        same = ratio["value"].round(12).nunique() == 1  # the ratio each lever reaches, as computed
        note = (f"The ratio is the same under every lever ({', '.join(ratio['lever'])}): the "
                "levers change fund sizes and counts, not the amount of capital, so their lines "
                "would coincide; one fan is drawn." if same else
                f"Drawn for the lever {args.lever} only.")
        ax = figures.plot_fan(sub, median="q50", bands=[("q05", "q95"), ("q25", "q75")],
                              unit="EU-27 as a share of the US", percent=True,
                              label="EU-27 / US, later stage",
                              title=f"x{args.multiple:g} in {args.years} years ({args.lever}): "
                                    "EU-27 later-stage capital as a share of the US",
                              source=f"fundgap project(), {args.sims:,} simulations, seed "
                                     f"{args.seed}; US on its trend", note=note)
        figures.save_figure(ax, out, "levers_ratio")

    print(f"What does x{args.multiple:g} in {args.years} years do, lever by lever?")
    print(x5.to_text())
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
