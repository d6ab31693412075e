"""What does growing European capital fivefold in ten years do, lever by lever?

Projects the EU27 against the US (and China where the baseline has it) along a
compound x5-in-10-years path with each lever: bigger_funds (fund sizes grow),
more_funds (fund count grows) and mix (half of the growth in size, in log
terms). The counterfactual regions grow on their trend fitted on the last ten
observed years. No regional fund-size distribution is shipped, so the fund
sizes are the published point values of the European Commission (average VC
fund 2017: EU EUR 56m, US EUR 156m; ``fundgap.scenarios.published_fund_sizes``).
Monte Carlo quantiles give the uncertainty. Prints, per lever, the EU27/US ratio
reached by stage, the largest round the typical EU27 fund can lead against the
US one, the share of later-stage rounds it could lead, and the first year EU27
capital reaches half of the US.

    python analyses/x5_levers.py [--multiple 5] [--years 10] [--sims 2000] [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import fundgap
from fundgap.report import figures
from fundgap.scenarios import published_fund_sizes

HERE = Path(__file__).resolve().parent
LEVERS = ("bigger_funds", "more_funds", "mix")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--multiple", type=float, default=5.0)
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--sims", type=int, default=2000)
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", default=str(HERE / "output" / "x5_levers"))
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    path = fundgap.growth_path(args.multiple, args.years)
    central, fans, crossings, notes = [], [], [], []
    sizes, fund_note = published_fund_sizes(fundgap.load_dataset("published_figures"))
    for lever in LEVERS:
        res = fundgap.project(None, path, lever=lever, horizon=args.years, n_sims=args.sims,
                              seed=args.seed, fund_sizes=sizes)
        central.append(res.to_frame().assign(lever=lever))
        fans.append(res.fan().assign(lever=lever))
        crossings.append(res.crossings().assign(lever=lever))
        notes = list(res.meta.get("notes", []))
        if lever == LEVERS[0]:
            res.to_excel(out / f"scenario_{lever}.xlsx")
    central = pd.concat(central, ignore_index=True)
    fans = pd.concat(fans, ignore_index=True)
    crossings = pd.concat(crossings, ignore_index=True)
    central.to_csv(out / "levers_central.csv", index=False)
    fans.to_csv(out / "levers_fan.csv", index=False)
    crossings.to_csv(out / "levers_crossings.csv", index=False)

    ratio = central[(central["region"] == "EU27") & (central["variable"] == "ratio_to_US")
                    & (central["stage_group"] == "all")]
    ax = figures.plot_gap(ratio, value="value", hue="lever", unit="ratio EU27 / US",
                          title=f"EU27 capital as a share of the US under x{args.multiple:g} in "
                                f"{args.years} years, by lever",
                          source="fundgap project() on the shipped OECD baseline; US on trend")
    figures.save_figure(ax, out, "levers_ratio")

    last = central[central["t"] == central["t"].max()]
    print(f"What does x{args.multiple:g} in {args.years} years do, lever by lever?")
    for lever in LEVERS:
        sub = last[(last["lever"] == lever) & (last["region"] == "EU27")]
        ratios = sub[sub["variable"] == "ratio_to_US"]
        text = ", ".join(f"{g} {v:.3f}" for g, v in zip(ratios["stage_group"], ratios["value"]))
        lead = sub[sub["variable"] == "largest_lead_round_p90"]["value"]
        cr = crossings[(crossings["lever"] == lever) & (crossings["region"] == "EU27")
                       & (crossings["against"] == "US") & (crossings["threshold"] == 0.5)
                       & (crossings["stage_group"] == "all")]
        when = (cr["status"].iloc[0] if len(cr) and pd.isna(cr["crossing_year"].iloc[0])
                else (int(cr["crossing_year"].iloc[0]) if len(cr) else "n/a"))
        print(f"  {lever:<13} EU27/US in year {args.years}: {text}")
        if len(lead):
            unit = sub[sub["variable"] == "largest_lead_round_p90"]["unit"].iloc[0]
            us = last[(last["lever"] == lever) & (last["region"] == "US")
                      & (last["variable"] == "largest_lead_round_p90")]["value"]
            us_text = f" (US: {us.iloc[0]:,.1f})" if len(us) else ""
            print(f"  {'':<13} largest round the typical EU27 fund can lead: "
                  f"{lead.iloc[0]:,.1f} {unit}{us_text}")
            fs = sub[(sub["variable"] == "fundable_share") & (sub["stage_group"] == "later")]
            if len(fs):
                print(f"  {'':<13} share of later-stage rounds (CrunchBase 2013 US biotech) it "
                      f"could lead: {fs['value'].iloc[0]:.2f}")
        print(f"  {'':<13} first year EU27 capital >= half of the US (all stages): {when}")
    if not (last["variable"] == "largest_lead_round_p90").any():
        print("  note: the levers differ only in fund sizes versus fund counts, so with no regional")
        print("  fund-size distribution in the baseline the capital ratios are the same for every")
        print("  lever. Baseline notes:")
        for n in notes:
            print(f"    - {n}")
    print(f"  {fund_note}")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
