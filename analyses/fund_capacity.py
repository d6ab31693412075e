"""How big are European funds, and which rounds can they lead?

A fund of size F can put at most max_position x F into one company, so it can
lead a round of at most max_position x F / lead_share (fundgap.capacity; the
defaults 0.15 and 0.5 give 0.3 x F). This script sets the fund sizes you give
(--funds, with the manager's region) or the published typical European and US
fund sizes against the round sizes each stage needs (median / P75 / P90 biotech
round from fundgap.depth), and prints which rounds a typical fund can lead.

    python analyses/fund_capacity.py [--funds FILE --funds-source X] [--rounds FILE --source X] [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import fundgap
from fundgap.models import lead_capacity, published_fund_case
from fundgap.report import figures

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--funds", help="fund export with manager region (default: shipped funds)")
    p.add_argument("--funds-source", help="layout of --funds")
    p.add_argument("--rounds", help="round export (default: shipped CrunchBase 2013 US rounds)")
    p.add_argument("--source", help="layout of --rounds")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", default=str(HERE / "output" / "fund_capacity"))
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    funds = (fundgap.read_funds(args.funds, source=args.funds_source).data if args.funds
             else fundgap.load_dataset("crunchbase2013_funds"))
    rounds = (fundgap.read_rounds(args.rounds, source=args.source).data if args.rounds
              else fundgap.load_dataset("crunchbase2013_us_rounds"))
    biotech = rounds[rounds["is_biotech"].fillna(False).astype(bool)] \
        if rounds["is_biotech"].fillna(False).any() else rounds

    # what each stage needs: median / P75 / P90 round size by region and stage group
    depth = fundgap.depth(biotech, by=("region", "stage_group"), seed=args.seed, n_boot=200,
                          price_base=2024)
    d = depth.to_frame()
    need = d[d["metric"].isin(["median", "p75", "p90"])
             & d["stage_group"].astype(str).isin(["seed", "early", "later"])]
    sizes = pd.DataFrame({"region": need["region"].astype(str).to_numpy(),
                          "stage_group": need["stage_group"].astype(str).to_numpy(),
                          "size": need["estimate"].to_numpy(),
                          "label": (need["metric"].astype(str) + " " + need["stage_group"].astype(str)
                                    + " round (" + need["region"].astype(str) + ")").to_numpy()})
    sizes.to_csv(out / "round_sizes_needed.csv", index=False)

    has_region = funds["region"].notna().any()
    if has_region:
        cap = fundgap.capacity(funds, rounds=biotech, round_sizes=sizes)
        pool = "region"
    else:  # the shipped funds carry no manager country: one pool, no domestic matching
        funds = funds.assign(pool="all funds (manager country unknown)")
        cap = fundgap.capacity(funds, region_col="pool", round_sizes=sizes.drop(columns="region"))
        pool = "pool"
    cap.to_frame().to_csv(out / "capacity.csv", index=False)

    pub = fundgap.load_dataset("published_figures")
    typical = pub[pub["metric"].str.lower().str.contains("fund size")
                  & pub["unit"].isin(["EUR m", "USD m"])][["code", "metric", "region", "year",
                                                           "value", "unit", "source"]]
    typical = typical.assign(largest_round_it_can_lead=lead_capacity(typical["value"]))
    typical.to_csv(out / "published_fund_sizes.csv", index=False)
    # EU vs US: the published typical fund sizes (points, not distributions), today and after x5
    case = published_fund_case(pub, rounds, rounds_label=(
        "your rounds" if args.rounds else "CrunchBase 2013 US biotech later-stage rounds "
        "(US rounds, 2013 and earlier)"))
    case.to_frame().to_csv(out / "fund_case_eu_us.csv", index=False)

    per_unit = lead_capacity(1.0)
    med = need[need["metric"] == "median"].assign(
        stage_group=lambda x: x["stage_group"].astype(str) + " (" + x["region"].astype(str) + ")",
        fund_size_needed=lambda x: x["estimate"] / per_unit)
    ax = figures.plot_fund_sizes(funds, hue=pool, needed=med, source="funds: "
                                 + ("your file" if args.funds else "CrunchBase 2013 Snapshot")
                                 + "; rounds: " + ("your file" if args.rounds
                                                   else "CrunchBase Oct 2013 US biotech"))
    figures.save_figure(ax, out, "fund_sizes")

    print("How big are European funds, and which rounds can they lead?")
    print(f"  rule: a fund of F leads a round of at most {per_unit:.2f} x F "
          "(max_position 0.15, lead_share 0.5)")
    for metric, region, year, v, u, lead in zip(typical["metric"], typical["region"],
                                                typical["year"], typical["value"], typical["unit"],
                                                typical["largest_round_it_can_lead"]):
        print(f"  {metric}, {region} {year}: {v:g} {u} -> leads rounds up to {lead:.1f} {u}")
    cf = case.to_frame()
    print("  EU vs US, published typical fund sizes (points, not distributions; EUR m of the "
          "figure's year):")
    for pair in dict.fromkeys(cf["pair"]):
        for lever in ("today", "bigger_funds", "more_funds"):
            row = cf[(cf["pair"] == pair) & (cf["lever"] == lever)]
            text = "; ".join(f"{sd} leads up to {v:.1f} ({sh:.0%} of later-stage rounds)"
                             for sd, v, sh in zip(row["side"], row["largest_lead_round_eur"],
                                                  row["share_rounds_leadable"]))
            when = lever if lever == "today" else f"{lever} x{case.meta['multiple']:g}"
            print(f"    {pair}, {when}: {text}")
    print(f"    caveats: {case.meta['caveats']}; rounds: {case.meta.get('rounds', 'none')}")
    m = need[need["metric"] == "median"]
    for region, g, v in zip(m["region"].astype(str), m["stage_group"].astype(str), m["estimate"]):
        print(f"  median {g}-stage biotech round, {region}: EUR {v:.1f}m at 2024 prices "
              f"(needs a fund of EUR {v / per_unit:.0f}m to lead)")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
