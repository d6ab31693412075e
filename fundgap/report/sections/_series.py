"""Sheets from the aggregate series: the gap over time, by stage, and the sources side by side."""

from __future__ import annotations

from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.sections._common import Section, Unavailable, need, ordered

RATIO_TITLE = "{region} as a share of the US"


def gap_frames(f: Any, against: str, *, stages: bool = False) -> pd.DataFrame | None:
    """The gap results of ``against``/US in USD over all sectors (all stages, or each stage)."""
    frames = []
    for key, res in f.results.items():
        parts = key.split(":")
        if len(parts) != 7 or parts[0] != "gap" or parts[3] != f"{against}/US":
            continue
        if parts[5] != "all" or parts[6] != "USD_M" or (parts[4] == "all") == stages:
            continue
        frames.append(res.to_frame())
    return pd.concat(frames, ignore_index=True) if frames else None


def _ratios(frame: pd.DataFrame, column: Any) -> pd.DataFrame:
    """Annual ratio rows, with the column each goes to (``column(row frame)``)."""
    g = frame[(frame["metric"].astype(str) == "ratio") & frame["year"].notna()]
    return g.assign(_col=column(g), year=g["year"].astype("int64"))


def _wide(rows: pd.DataFrame) -> pd.DataFrame:
    wide = rows.pivot_table(index="year", columns="_col", values="estimate", aggfunc="first",
                            sort=False)
    wide = wide[list(dict.fromkeys(rows["_col"]))]
    wide.columns = [str(c) for c in wide.columns]
    return wide.sort_index().reset_index()


def _series_chart(wide: pd.DataFrame, title: str, what: str) -> Any:
    from fundgap.report.excel import Chart

    ys = [c for c in wide.columns if c != "year"]
    return Chart(x="year", y=ys, title=title, x_title="Year", y_title="Share of the US (%)",
                 alt_text=(f"Line chart: {what}, by year, one line per column of the table above "
                           f"({'; '.join(ys)}). Each line covers the years its source has; "
                           "sources are never joined into one line."))


def section_gap(f: Any, ctx: dict[str, Any]) -> Section:
    """The EU-27 (and China) / US ratio by year, source by source; the OECD ratio by stage."""
    from fundgap.report.excel import Sheet, Table

    eu = gap_frames(f, "EU27")
    if eu is None:
        raise Unavailable("no source has EU-27 and US rows")
    cn = gap_frames(f, "CN")
    frames = [x for x in (eu, cn) if x is not None]
    tidy = pd.concat(frames, ignore_index=True)
    rows = _ratios(tidy, lambda g: [
        f"{RATIO_TITLE.format(region=labels.region(a).split(' (')[0])}: {labels.source(s, t)}"
        for a, s, t in zip(g["against"].astype(str), g["source"], g["table"], strict=False)])
    wide = _wide(rows)
    ys = [c for c in wide.columns if c != "year"]
    table = Table(wide, labels={"year": "Year", **{c: f"{c} (%)" for c in ys}},
                  formats=dict.fromkeys(ys, "ratio"),
                  header_notes={c: (["china"] if c.startswith("China") else ["eu27"])
                                for c in ys})
    lines = [f"Source: {labels.plain(f.meta['data'].get('series', ''))}.",
             "Venture capital invested, all stages and sectors, each region's total divided by "
             "the US total in the same year and source (USD at current prices in both).",
             "Every gap metric (the amounts, the gap, cumulative ratios) by source is in "
             "tables/gap.csv and tables/gap_china.csv."]
    out = Section(tables={"gap": eu})
    if cn is not None:
        out.tables["gap_china"] = cn
    out.add(Sheet("Gap over time", title="The gap over time: the EU-27 and China as a share of "
                  "the US, source by source", notes=["sources", "oecd", "ncses"], lines=lines,
                  tables=[table],
                  charts=[_series_chart(wide, "EU-27 and China as a share of the US, by source",
                                        "venture capital invested in the EU-27 and China as a "
                                        "share of the US")]),
            "EU-27 and China as a share of the US by year, source by source")
    stages = gap_frames(f, "EU27", stages=True)
    if stages is not None:
        both = pd.concat([stages, eu[eu["source"].astype(str).isin(
            stages["source"].astype(str).unique())]], ignore_index=True)
        srcs = both["source"].astype(str).unique()
        order = ordered(both["stage_group"].astype(str), ["seed", "early", "later", "all"])
        rows = _ratios(both, lambda g: [
            f"{labels.stage(st)}" + (f": {labels.source(s, t)}" if len(srcs) > 1 else "")
            for st, s, t in zip(g["stage_group"].astype(str), g["source"], g["table"], strict=False)])
        rows = rows.assign(_o=rows["stage_group"].astype(str).map(order.index)).sort_values(
            ["_o", "year"])
        swide = _wide(rows)
        sy = [c for c in swide.columns if c != "year"]
        src_name = ", ".join(labels.source(s) for s in srcs)
        out.tables["gap_by_stage"] = stages
        out.add(Sheet("Gap by stage", title=f"The EU-27 as a share of the US, stage by stage "
                      f"({src_name})", notes=["stages", "eu27", "oecd"],
                      lines=[f"Source: {src_name}; the NCSES tables do not split stages.",
                             "Venture capital invested at each stage in the EU-27 divided by the "
                             "US at the same stage, same year (USD at current prices)."],
                      tables=[Table(swide, labels={"year": "Year", **{c: f"{c} (%)" for c in sy}},
                                    formats=dict.fromkeys(sy, "ratio"))],
                      charts=[_series_chart(swide, "EU-27 as a share of the US, by stage",
                                            "EU-27 venture capital as a share of the US at each "
                                            "stage")]),
                "the EU-27 as a share of the US by year at the seed, early and later stage")
    out.figures["gap_over_time"] = (_fig_gap, (eu,))
    return out


def _fig_gap(frame: pd.DataFrame) -> Any:
    from fundgap.report import figures

    g = frame[(frame["metric"].astype(str) == "ratio") & frame["year"].notna()
              & (frame["stage_group"].astype(str) == "all")]
    g = g.assign(source=[labels.source(s, t) for s, t in zip(g["source"], g["table"], strict=False)])
    return figures.plot_gap(g, value="estimate", hue="source", unit="EU-27 as a share of the US",
                            percent=True,
                            title="EU-27 venture capital as a share of the US, by source",
                            source=", ".join(sorted(g["source"].unique()))
                            + " (each line one source, never blended)", reference=None)


def section_sources(f: Any, ctx: dict[str, Any]) -> Section:
    """What each source reports for each region: the amounts behind the ratios, side by side."""
    from fundgap.report.excel import Chart, Sheet, Table

    res = need(f.results, "compare_sources", "the series hold one source only")
    frame = res.to_frame()
    g = frame[frame["metric"].astype(str).isin(["against_value", "base_value"])
              & frame["year"].notna()]
    who = [labels.region(a if m == "against_value" else b).split(" (")[0]
           for m, a, b in zip(g["metric"].astype(str), g["against"].astype(str),
                              g["base"].astype(str), strict=False)]
    g = g.assign(_col=[f"{w}: {labels.source(s, t)}" for w, s, t in zip(who, g["source"],
                                                                        g["table"], strict=False)],
                 year=g["year"].astype("int64"))
    g = g.assign(_w=[0 if w == "EU-27" else 1 for w in who]).sort_values(["_w", "_col"])
    wide = _wide(g)
    ys = [c for c in wide.columns if c != "year"]
    money = labels.unit("USD_M", "current")
    eu_cols = [c for c in ys if c.startswith("EU-27")]
    chart = Chart(x="year", y=eu_cols, title="EU-27 venture capital invested, by source",
                  x_title="Year", y_title=money,
                  alt_text="Line chart: venture capital invested in the EU-27 by year as each "
                           f"source reports it, {money}; one line per source.") if eu_cols else None
    table = Table(wide, labels={"year": "Year", **{c: f"{c} ({money})" for c in ys}},
                  formats=dict.fromkeys(ys, "#,##0"))
    out = Section(tables={"compare_sources": frame})
    out.add(Sheet("Sources compared", title="What each source reports: venture capital invested "
                  "in each region, side by side", notes=["sources", "oecd", "ncses", "eu27"],
                  lines=[f"Source: {labels.plain(f.meta['data'].get('series', ''))}.",
                         f"{money}. The ratios these amounts give are on the Gap over time "
                         "sheet; the amounts show where the sources disagree (the EU-27) and "
                         "where they nearly agree (the US)."],
                  tables=[table], charts=[chart] if chart else []),
            "the amounts each source reports for the EU-27 and the US, side by side")
    return out
