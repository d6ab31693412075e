"""How big are European funds, and which rounds can they lead?

Renders the fund-capacity findings of ``fundgap.findings``: the largest round an
average EU fund can lead against an average US fund, on one basis (the European
Commission's 2017 averages, both in EUR at 2024 prices, the same lead rule
0.15 x F / 0.5), what x5 does to it, and, with --funds carrying the manager's
region, the median fund by region. Writes the findings, the capacity table and
the published fund-size case as CSV, and a figure of fund sizes against the fund
size each stage's median round needs.

    python analyses/fund_capacity.py [--funds FILE --funds-source X] [--rounds FILE --source X] [--out DIR]
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
    p.add_argument("--funds", help="fund export with manager region (default: shipped funds)")
    p.add_argument("--funds-source", help="layout of --funds")
    p.add_argument("--rounds", help="round export (default: shipped CrunchBase 2013 US rounds)")
    p.add_argument("--source", help="layout of --rounds")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--out", default=str(HERE / "output" / "fund_capacity"))
    args = p.parse_args(argv)
    out = Path(args.out)
    try:
        funds = fundgap.read_funds(args.funds, source=args.funds_source) if args.funds else None
        rounds = fundgap.read_rounds(args.rounds, source=args.source) if args.rounds else None
        found = fundgap.findings(rounds, funds, n_sims=0, seed=args.seed)
    except fundgap.FundgapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    cap = found.select("capacity")
    cap.to_csv(out / "findings.csv")
    capacity = found.results.get("capacity")
    if capacity is not None:
        capacity.to_csv(out / "capacity.csv")
    case = found.results.get("fund_case")
    if case is not None:
        case.to_csv(out / "published_fund_sizes.csv")
    # fund sizes and round sizes on one price base: both EUR at the findings' price base
    # (fund sizes deflated by vintage year in the findings layer), funds able to lead from there
    need = found.results["tables"].get("round_sizes_needed")
    sizes = found.results["tables"].get("fund_sizes")
    if sizes is not None and len(sizes):
        drawn = sizes[sizes["size_eur_real"].notna()]
        if need is not None:
            need = need[need["label"].str.startswith("median")]
            need = need.assign(stage_group=need["stage_group"] + " (" + need["round_region"] + ")")
        base = str(drawn["price_base"].iloc[0]) if len(drawn) else "2024"
        ax = figures.plot_fund_sizes(
            drawn, size="size_eur_real", hue="fund_pool", needed=need,
            unit=f"EUR million, {base} prices", source=f"funds: {found.meta['data']['funds']}",
            note=f"{len(sizes) - len(drawn):,} funds without a size or a vintage year from 2000 "
                 "on are left out (no price index).")
        figures.save_figure(ax, out, "fund_sizes")

    print("How big are European funds, and which rounds can they lead?")
    print(cap.to_text())
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
