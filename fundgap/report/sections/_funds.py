"""Sheets on funds: the published EU vs US fund case, fund sizes and the rounds funds can lead."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.sections._common import Section, need, run_note

FUND_TYPES = ("vc", "growth")  # the fund types the capacity model counts by default


def _case_sheet(case: Any, price_base: int) -> Any:
    from fundgap.report.excel import Sheet, Table

    cf = case.to_frame()
    cm = case.meta or {}
    real = labels.unit("EUR_M", price_base)
    cols = {"pair": "Comparison", "side": "Side", "metric": "Published figure",
            "region_code": "Region", "year": "Year", "published_value": "Published value",
            "published_unit": "Published unit", "lever": "Lever",
            "fund_size_eur_after": "Fund size after the lever (EUR million, prices of the year)",
            "largest_lead_round_eur": "Largest round it can lead (EUR million, prices of the year)",
            "largest_lead_round_eur_const": f"Largest round it can lead ({real})",
            "share_rounds_leadable": "Share of later-stage rounds it could lead (%)",
            "share_capital_leadable": "Share of later-stage capital it could lead (%)",
            "n_rounds": "Later-stage rounds tested", "source": "Source", "address": "Address",
            "caveat": "Caveat"}
    shown = cf[[c for c in cols if c in cf.columns]].copy()
    shown["region_code"] = shown["region_code"].map(labels.region).astype("object")
    shown["lever"] = shown["lever"].map(labels.lever).astype("object")
    for c in ("source", "caveat", "pair"):
        shown[c] = shown[c].map(labels.plain).astype("object")
    table = Table(shown, labels=cols,
                  formats={"year": "year", "published_value": "money",
                           "fund_size_eur_after": "money", "largest_lead_round_eur": "money",
                           "largest_lead_round_eur_const": "money",
                           "share_rounds_leadable": "ratio", "share_capital_leadable": "ratio",
                           "n_rounds": "count"},
                  missing={"share_rounds_leadable": "[z]", "share_capital_leadable": "[z]",
                           "n_rounds": "[z]"},
                  links={"address": "url"}, wrap=["caveat", "address", "source", "pair"],
                  header_notes={"largest_lead_round_eur_const": ["prices", "lead_rule"]})
    multiple = cm.get("multiple", 5)
    return Sheet("Fund case EU vs US",
                 title=f"Published typical fund sizes, EU against US, and the rounds they can "
                       f"lead, today and after x{multiple:g}",
                 notes=["point_values", "lead_rule"],
                 lines=["Published typical fund sizes are point values (an average or a median), "
                        "NOT distributions; each row names its source.",
                        "Levers: bigger funds (the same number of funds, each x" f"{multiple:g}), "
                        "more funds (x" f"{multiple:g} as many funds of today's size), a mix.",
                        "Comparability: " + labels.plain(str(cm.get("caveats", "")))],
                 tables=[table], widths={"A": 26, "N": 30, "O": 30, "P": 40})


def _sizes_sheet(frame: pd.DataFrame, src: str) -> Any:
    from fundgap.report.excel import Sheet, Table

    f = frame[frame["metric"].astype(str).isin(["fund_size", "max_lead_round"])]
    f = f.assign(region=f["region"].astype(str), quantile=f["quantile"].astype("float64"))
    wide = f.pivot_table(index=["region", "quantile"], columns="metric", values="estimate",
                         aggfunc="first", sort=True).reset_index()
    nf = frame[frame["metric"].astype(str) == "n_funds"]
    n = pd.Series(nf["estimate"].to_numpy(), index=nf["region"].astype(str).to_numpy())
    wide = wide.assign(n_funds=wide["region"].map(n), quantile=wide["quantile"].map(
        labels.fund_quantile).astype("object"), region=wide["region"].map(labels.region))
    unit = "EUR million, prices of each fund's vintage year"
    cols = ["region", "quantile", "n_funds", "fund_size", "max_lead_round"]
    table = Table(wide[[c for c in cols if c in wide.columns]],
                  labels={"region": "Fund pool", "quantile": "Fund", "n_funds": "Funds",
                          "fund_size": f"Fund size ({unit})",
                          "max_lead_round": f"Largest round it can lead ({unit})"},
                  formats={"n_funds": "count", "fund_size": "money", "max_lead_round": "money"},
                  header_notes={"fund_size": ["vintage_prices"],
                                "max_lead_round": ["lead_rule"]})
    return Sheet("Fund sizes", title="Fund sizes and the largest round each can lead",
                 notes=["lead_rule"],
                 lines=[f"Source: {src}.", "Venture and growth funds with a size; the fund at "
                        "each quantile of fund size in its pool."],
                 tables=[table])


def _lead_sheet(frame: pd.DataFrame, price_base: int) -> Any:
    from fundgap.report.excel import Sheet, Table

    f = frame[frame["metric"].astype(str).isin(["n_funds_can_lead", "share_funds_can_lead"])]
    if "label" not in f.columns:
        f = f.assign(label=None)
    keys = ["region", "stage_group", "round_size", "label"]
    f = f.assign(region=f["region"].astype(str), stage_group=f["stage_group"].astype(str),
                 label=f["label"].astype("object").fillna(""))
    wide = f.pivot_table(index=keys, columns="metric", values="estimate", aggfunc="first",
                         sort=False).reset_index()
    wide = wide.assign(region=wide["region"].map(labels.region),
                       stage_group=wide["stage_group"].map(labels.stage),
                       label=wide["label"].where(wide["label"] != "", None))
    table = Table(wide, labels={"region": "Fund pool", "stage_group": "Stage group",
                                "round_size": "Round size (EUR million)",
                                "label": "Round", "n_funds_can_lead": "Funds able to lead it",
                                "share_funds_can_lead": "Share of funds able to lead it (%)"},
                  formats={"round_size": "money", "n_funds_can_lead": "count",
                           "share_funds_can_lead": "ratio"},
                  missing={"label": "[z]"}, header_notes={"round_size": ["vintage_prices"]})
    return Sheet("Funds able to lead", title="How many funds can lead a round of each size",
                 notes=["lead_rule"],
                 lines=["Round sizes: a grid of sizes, then the median, 75th and 90th percentile "
                        f"round of each stage group from the round data (EUR million, "
                        f"{price_base} prices); fund capacity as on the Fund sizes sheet."],
                 tables=[table])


def section_capacity(f: Any, ctx: dict[str, Any]) -> Section:
    """The published EU vs US fund case; fund sizes and the rounds funds can lead."""
    res = need(f.results, "capacity", run_note(f, "pooled fund capacity") or "no funds data")
    frame = res.to_frame()
    out = Section(tables={"capacity": frame})
    case = f.results.get("fund_case")
    if case is not None:
        out.tables["fund_case"] = case.to_frame()
        out.add(_case_sheet(case, ctx["price_base"]),
                "published EU and US fund sizes and the largest round each can lead, with x5")
    src = labels.plain(f.meta["data"].get("funds", ""))
    out.add(_sizes_sheet(frame, src), "fund sizes by quantile and the largest round each can lead")
    if frame["metric"].astype(str).isin(["n_funds_can_lead"]).any():
        out.add(_lead_sheet(frame, ctx["price_base"]),
                "how many funds can lead rounds of given sizes")
    tabs = f.results.get("tables", {})
    sizes = tabs.get("fund_sizes")
    if sizes is not None and len(sizes):
        out.figures["fund_sizes"] = (_fig_funds, (sizes, tabs.get("round_sizes_needed"), src,
                                                  ctx["price_base"]))
    return out


def _fig_funds(sizes: pd.DataFrame, need: pd.DataFrame | None, source: str, base: int) -> Any:
    from fundgap.report import figures

    kept = sizes[sizes["fund_type"].astype("string").isin(list(FUND_TYPES)).fillna(False)] \
        if "fund_type" in sizes.columns and sizes["fund_type"].notna().any() else sizes
    has = kept["size_eur"].notna()
    drawn = kept[has & kept["size_eur_real"].notna()]
    left_out = int(has.sum()) - len(drawn)
    if need is not None:
        need = need[need["label"].astype(str).str.startswith("median")]
        need = need.assign(stage_group=[f"{labels.stage(s)} ({labels.region(r)})" for s, r in
                                        zip(need["stage_group"], need["round_region"], strict=False)])
    pool = drawn.assign(fund_pool=drawn["fund_pool"].map(
        lambda p: labels.region(p) if p in labels.REGIONS else p))
    note = (f"{len(drawn):,} venture and growth funds; {left_out:,} with a vintage year before "
            "2000 or none are left out (no price index)." if left_out else "")
    return figures.plot_fund_sizes(pool, size="size_eur_real", hue="fund_pool", needed=need,
                                   unit=labels.unit("EUR_M", base), source=source, note=note)
