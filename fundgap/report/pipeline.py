"""The whole analysis, end to end: data in, workbook + figures + tidy tables out.

:func:`write_report` is what ``fundgap report`` runs. It only calls the public
API (``fundgap.read_*``, ``fundgap.load_dataset``, the models and scenarios)
and the two output modules (:mod:`fundgap.report.excel`,
:mod:`fundgap.report.figures`). Each section of the report runs on its own: a
section whose input is missing (no funds file, one region only, a model that
cannot run on the data) is reported in the workbook as unavailable, with the
reason, and the rest of the report is still written.

Examples
--------
>>> from fundgap.report.pipeline import ReportOutput
>>> ReportOutput.__name__
'ReportOutput'
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError

__all__ = ["ReportOutput", "SectionStatus", "Unavailable", "shipped_series", "write_report"]

WORKBOOK_NAME = "fundgap-report.xlsx"
#: Rows of one table written into the workbook by default; longer tables go to CSV.
REPORT_MAX_ROWS = 20_000
DEFAULT_SEED = 20261122
#: Constant-price base year of round sizes.
PRICE_BASE = 2024

SHIPPED_ROUNDS = "crunchbase2013_us_rounds"
SHIPPED_FUNDS = "crunchbase2013_funds"
SHIPPED_SERIES = ("oecd_vc", "ncses_vc")
PUBLISHED = "published_figures"

CITATION_TEXT = (
    "fundgap contributors ({year}). fundgap: measuring Europe's biotech funding gap "
    "(version {version}) [software]. See CITATION.cff. Cite the data sources listed on the "
    "'Method and sources' sheet as their licences ask."
)


class Unavailable(Exception):
    """Raised inside a section when its input is not available; the report says why."""


@dataclass
class SectionStatus:
    """How one section of the report went."""

    key: str
    title: str
    status: str = "ok"  # ok | unavailable | failed
    detail: str = ""
    seconds: float = 0.0


@dataclass
class ReportOutput:
    """What :func:`write_report` wrote, and how each section went.

    Attributes
    ----------
    out_dir : Path
    workbook : Path
    figures : list of Path
        PNG and SVG files.
    tables : list of Path
        Tidy CSV tables (one per result, plus rejected rows).
    sections : list of SectionStatus
    seconds : float
        Wall time of the whole run.
    """

    out_dir: Path
    workbook: Path | None = None
    figures: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    sections: list[SectionStatus] = field(default_factory=list)
    seconds: float = 0.0
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[SectionStatus]:
        """Sections that did not run (unavailable or failed)."""
        return [s for s in self.sections if s.status != "ok"]

    def summary(self) -> str:
        """Where everything went, how long it took, and which sections did not run."""
        lines = [f"fundgap report written to {self.out_dir}"]
        if self.workbook is not None:
            lines.append(f"  workbook: {self.workbook}")
        figs = sorted({p.stem for p in self.figures})
        if figs:
            lines.append(f"  figures:  {self.out_dir / 'figures'} ({len(figs)} figures, PNG + SVG: "
                         f"{', '.join(figs)})")
        if self.tables:
            lines.append(f"  tables:   {self.out_dir / 'tables'} ({len(self.tables)} CSV files)")
        lines.append("  sections:")
        for s in self.sections:
            mark = "ok" if s.status == "ok" else s.status.upper()
            extra = f": {s.detail}" if s.detail and s.status != "ok" else ""
            lines.append(f"    {s.title:<28} {mark:<12} {s.seconds:5.1f} s{extra}")
        lines.append(f"  total time: {self.seconds:.1f} s")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<ReportOutput {self.out_dir}: {len(self.sections) - len(self.problems)} of "
                f"{len(self.sections)} sections, {len(self.figures)} figure files>")


# ----------------------------------------------------------------------------- inputs


def shipped_series() -> pd.DataFrame:
    """Return the shipped OECD and NCSES series in one canonical frame.

    The sources stay apart through the ``source`` column; no model blends them.
    """
    import fundgap

    frames = []
    for name in SHIPPED_SERIES:
        frames.append(fundgap.load_dataset(name))
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        raise FundgapError("no shipped series could be loaded", expected=list(SHIPPED_SERIES))
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    from fundgap.schema import conform

    return conform(pd.concat([conform(f, "series") for f in frames], ignore_index=True), "series")


@dataclass
class _Input:
    kind: str
    data: pd.DataFrame | None = None
    label: str = ""
    rejects: pd.DataFrame | None = None
    shipped: bool = True
    reason: str = ""
    summary: str = ""


def _load_input(kind: str, value: Any, source: str | None, shipped: Callable[[], pd.DataFrame],
                shipped_label: str) -> _Input:
    import fundgap
    from fundgap.loaded import Loaded

    if value is None:
        try:
            data = shipped()
        except FundgapError as exc:
            return _Input(kind, None, shipped_label, reason=f"shipped data unavailable: {exc}")
        except (ImportError, AttributeError, KeyError, FileNotFoundError) as exc:
            return _Input(kind, None, shipped_label,
                          reason=f"shipped data unavailable: {type(exc).__name__}: {exc}")
        return _Input(kind, data, _dataset_label(shipped_label), shipped=True)
    if isinstance(value, Loaded):
        return _Input(kind, value.data, f"{value.path or 'frame'} (source: {value.source})",
                      value.rejects, shipped=False, summary=value.summary())
    if isinstance(value, pd.DataFrame):
        return _Input(kind, value, "frame given by the caller", shipped=False)
    reader = {"rounds": fundgap.read_rounds, "funds": fundgap.read_funds,
              "series": fundgap.read_series}[kind]
    loaded = reader(os.fspath(value), source=source)
    return _Input(kind, loaded.data, f"{value} (source: {loaded.source})", loaded.rejects,
                  shipped=False, summary=loaded.summary())


def _dataset_label(names: str) -> str:
    """'<title> (fundgap dataset <name>)' for shipped datasets joined by ' + '."""
    table = _dataset_table()
    titles = {}
    if table is not None and {"name", "title"} <= set(table.columns):
        titles = dict(zip(table["name"].astype(str), table["title"].astype(str)))
    parts = []
    for name in [n.strip() for n in names.split("+")]:
        title = titles.get(name)
        short = title.split(":")[0].split(" by ")[0] if title else ""
        parts.append(f"{short} (shipped dataset {name})" if short else f"shipped dataset {name}")
    return " + ".join(parts)


def _shipped_rounds() -> pd.DataFrame:
    import fundgap

    return fundgap.load_dataset(SHIPPED_ROUNDS)


def _shipped_funds() -> pd.DataFrame:
    import fundgap

    return fundgap.load_dataset(SHIPPED_FUNDS)


# ----------------------------------------------------------------------------- helpers


def _unit_text(frame: pd.DataFrame, default: str = "") -> str:
    from fundgap.report.excel import describe_unit

    if "unit" not in frame.columns or not len(frame):
        return default
    money = frame["unit"].astype(str).str.upper().str.endswith(("_M", "_BN"))
    if money.any():
        frame = frame[money.to_numpy()]
    units = frame["unit"].dropna().astype(str).unique()
    bases = frame["price_base"].dropna().astype(str).unique() if "price_base" in frame else []
    if len(units) == 1:
        return describe_unit(units[0], bases[0] if len(bases) == 1 else None)
    return default


def _sources_of(frame: pd.DataFrame) -> str:
    if frame is None or "source" not in frame.columns:
        return ""
    return ", ".join(sorted(frame["source"].dropna().astype(str).unique()))


def _fmt(v: Any, digits: int = 1) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not np.isfinite(f):
        return "n/a"
    return f"{f:,.{digits}f}"


def _is_biotech_subset(rounds: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if "is_biotech" in rounds.columns:
        flag = rounds["is_biotech"].astype("boolean").fillna(False).astype(bool)
        if flag.any():
            if flag.all():
                return rounds, "all rounds are biotech"
            return rounds[flag.to_numpy()], (f"biotech rounds only ({int(flag.sum()):,} of "
                                             f"{len(rounds):,})")
    return rounds, "no biotech flag in the data: all rounds used"


# ----------------------------------------------------------------------------- the context


class _Report:
    """Collects sheets, tables, figures and key findings as the sections run."""

    def __init__(self, out_dir: Path, opts: dict[str, Any], strict: bool,
                 progress: Callable[[str], None] | None) -> None:
        self.out_dir = out_dir
        self.opts = opts
        self.strict = strict
        self.progress = progress
        self.inputs: dict[str, _Input] = {}
        self.results: dict[str, Any] = {}
        self.sheets: dict[str, list[Any]] = {}
        self.tables: dict[str, pd.DataFrame] = {}
        # name -> (module-level function, args): picklable, drawn in the figure worker
        self.figures: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {}
        self.findings: list[dict[str, Any]] = []
        self.sections: list[SectionStatus] = []
        self.method: list[tuple[str, str]] = []

    def run(self, key: str, title: str, fn: Callable[[], None]) -> None:
        st = SectionStatus(key, title)
        t0 = time.perf_counter()
        try:
            fn()
        except Unavailable as exc:
            st.status, st.detail = "unavailable", str(exc)
        except FundgapError as exc:
            st.status, st.detail = "unavailable", f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug: loud in strict mode, reported otherwise
            if self.strict:
                raise
            st.status, st.detail = "failed", f"{type(exc).__name__}: {exc}"
            warnings.warn(f"fundgap report: section {title!r} failed: {st.detail}", stacklevel=2)
        st.seconds = time.perf_counter() - t0
        self.sections.append(st)
        if self.progress is not None:
            self.progress(title)

    def need(self, kind: str) -> pd.DataFrame:
        inp = self.inputs.get(kind)
        if inp is None or inp.data is None:
            raise Unavailable(inp.reason if inp is not None else f"no {kind} data")
        if len(inp.data) == 0:
            raise Unavailable(f"the {kind} data ({inp.label}) has no rows")
        return inp.data

    def finding(self, topic: str, finding: str, value: Any, unit: str, year: Any, source: str,
                sheet: str) -> None:
        self.findings.append({"topic": topic, "finding": finding, "value": value, "unit": unit,
                              "year": "" if year is None else str(year), "source": source,
                              "sheet": sheet})


# ----------------------------------------------------------------------------- sections


def _section_depth(rep: _Report) -> None:
    import fundgap
    from fundgap.report.excel import Chart, Sheet, Table

    rounds = rep.need("rounds")
    subset, note = _is_biotech_subset(rounds)
    rep.method.append(("Depth: rounds used", note))
    seed = rep.opts["seed"]
    res = fundgap.depth(subset, by=("region", "stage_group"), seed=seed, price_base=PRICE_BASE)
    res_stage = fundgap.depth(subset, by=("region", "stage"), seed=seed, price_base=PRICE_BASE)
    rep.results["depth"] = res
    rep.results["depth_by_stage"] = res_stage
    frame = res.to_frame()
    unit = _unit_text(frame, "EUR million")
    src = rep.inputs["rounds"].label
    rep.tables["depth_by_stage_group"] = frame
    rep.tables["depth_by_stage"] = res_stage.to_frame()

    med = frame[frame["metric"] == "median"]
    wide = (med.assign(region=med["region"].astype(str), stage_group=med["stage_group"].astype(str))
            .pivot_table(index="stage_group", columns="region", values="estimate",
                         aggfunc="first", sort=False))
    order = [g for g in ("seed", "early", "later", "unknown") if g in wide.index]
    wide = wide.reindex(order).reset_index().rename(columns={"stage_group": "stage group"})
    wide.columns = [str(c) for c in wide.columns]
    regions = [c for c in wide.columns if c != "stage group"]
    tables = [Table(wide, caption=f"Median round size ({unit})", units=unit)]
    charts = []
    if len(wide) and regions:
        charts.append(Chart(x="stage group", y=regions, kind="bar",
                            title="Median round size by stage group", y_title=unit, table=0))
    shown = frame.copy()
    tables.append(Table(shown.drop(columns=[c for c in ("unit", "price_base") if c in shown]),
                        caption=f"All depth metrics by region and stage group; money in {unit}",
                        units={c: f"{unit} for money metrics" for c in ("estimate", "ci_low",
                                                                      "ci_high")}))
    stage_frame = res_stage.to_frame()
    tables.append(Table(stage_frame.drop(columns=[c for c in ("unit", "price_base")
                                                  if c in stage_frame]),
                        caption=f"The same by fine stage (the funding ladder); money in {unit}",
                        units={c: f"{unit} for money metrics" for c in ("estimate", "ci_low",
                                                                      "ci_high")}))
    lines = [("Data", f"{src}; {note}"), ("Units", f"{unit}; counts are numbers of rounds; "
                                                  "shares are fractions 0-1"),
             ("Intervals", "bootstrap percentile intervals (ci_low, ci_high); see Method sheet")]
    unknown = frame[frame["metric"] == "share_unknown_stage"]
    if len(unknown):
        lines.append(("Rows in unknown stages", "; ".join(
            f"{r}: {_fmt(100 * v)}%" for r, v in zip(unknown["region"].astype(str),
                                                     unknown["estimate"]))))
    rep.sheets["depth"] = [Sheet("Depth by stage", title="Depth of capital by stage and region",
                                 lines=lines, tables=tables, charts=charts)]
    rep.figures["depth_by_stage"] = (_fig_depth, (frame, unit, src))

    # findings: median round by stage group for each region present
    for g in ("seed", "early", "later"):
        sub = med[med["stage_group"].astype(str) == g]
        for region, est, n in zip(sub["region"].astype(str), sub["estimate"], sub["n"]):
            rep.finding("Round size", f"Median {g}-stage biotech round, {region} (n={int(n):,})",
                        est, unit, _year_span(subset), f"fundgap depth() on {src}",
                        "Depth by stage")


def _year_span(frame: pd.DataFrame) -> str:
    if "year" not in frame.columns:
        return ""
    y = pd.to_numeric(frame["year"], errors="coerce").dropna()
    if not len(y):
        return ""
    lo, hi = int(y.min()), int(y.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _fig_depth(res: Any, unit: str, source: str) -> Any:
    from fundgap.report import figures

    return figures.plot_depth(res, metric="median", unit=unit, source=source,
                              title="Median biotech round size by stage and region")


def _section_compare(rep: _Report) -> None:
    import fundgap
    from fundgap.report.excel import Sheet, Table

    rounds = rep.need("rounds")
    subset, _ = _is_biotech_subset(rounds)
    regions = subset["region"].dropna().astype(str).value_counts()
    regions = regions[regions >= 30]
    if len(regions) < 2:
        raise Unavailable("needs rounds from at least two regions (30+ rounds each); the data "
                          f"has {', '.join(f'{r}: {n}' for r, n in regions.items()) or 'none'}")
    base = "US" if "US" in regions.index else regions.index[0]
    res = fundgap.compare_regions(subset, base=base)
    rep.results["compare_regions"] = res
    frame = res.to_frame()
    rep.tables["compare_regions"] = frame
    ratio_units = {c: f"ratio to {base}" for c in ("estimate", "ci_low", "ci_high")}
    rep.sheets["compare"] = [Sheet("Regional comparison",
                                   title=f"Round size relative to {base}, by stage (regressions)",
                                   lines=[("Data", rep.inputs["rounds"].label),
                                          ("Units", f"ratios to {base} (1 = same size or count); "
                                                    "log_ratio and se on the log scale"),
                                          ("Models", "OLS of log round size on region x stage with "
                                                     "year fixed effects (robust SE); quantile "
                                                     "regressions at the median and P90; a "
                                                     "negative binomial model of round counts")],
                                   tables=[Table(frame, units=ratio_units)])]
    if {"model", "metric", "region", "stage_group", "estimate"} <= set(frame.columns):
        ols = frame[(frame["model"].astype(str) == "ols")
                    & (frame["metric"].astype(str) == "size_ratio")]
        for region, stage, est in zip(ols["region"].astype(str), ols["stage_group"].astype(str),
                                      ols["estimate"]):
            rep.finding("Round size", f"Round size {region} relative to {base}, {stage} stage "
                        "(OLS with year effects)", est, f"ratio to {base}",
                        _year_span(subset), f"fundgap compare_regions() on "
                        f"{rep.inputs['rounds'].label}", "Regional comparison")


#: Table to use per shipped source when a source has several tables of the same measure.
_SOURCE_TABLES = {"ncses": "SINV-31"}


def gap_options(series: pd.DataFrame, source: str) -> dict[str, Any]:
    """Options of :func:`fundgap.gap` for one source of the series.

    ``aggregate_countries=True`` (a region reported only as its one country, such
    as the US in the OECD table, is that country) and, for NCSES, table SINV-31,
    the one table with both the US and the EU-27 in 2003-2022.

    Examples
    --------
    >>> import pandas as pd
    >>> gap_options(pd.DataFrame({"table": ["SINV-31"]}), "ncses")
    {'source': 'ncses', 'aggregate_countries': True, 'table': 'SINV-31'}
    """
    return _gap_kwargs(series, source)


def _gap_kwargs(series: pd.DataFrame, source: str) -> dict[str, Any]:
    kw: dict[str, Any] = {"source": source, "aggregate_countries": True}
    table = _SOURCE_TABLES.get(source)
    if table is not None and "table" in series.columns and \
            (series["table"].astype(str) == table).any():
        kw["table"] = table
    return kw


def _section_gap(rep: _Report) -> None:
    import fundgap
    from fundgap.report.excel import Chart, Sheet, Table

    series = rep.need("series")
    sources = sorted(series["source"].dropna().astype(str).unique()) if "source" in series else []
    if not sources:
        raise Unavailable("the series have no 'source' column")
    frames, results, skipped = [], {}, {}
    for src in sources:
        for stage in ("all", "seed", "early", "later"):
            try:
                res = fundgap.gap(series, base="US", against="EU27", stage_group=stage,
                                  **_gap_kwargs(series, src))
            except FundgapError as exc:
                if stage == "all":
                    skipped[src] = str(exc)
                continue
            results[(src, stage)] = res
            frames.append(res.to_frame())
    if not frames:
        raise Unavailable("no source has EU27 and US rows: " + "; ".join(
            f"{k}: {v}" for k, v in skipped.items()))
    frame = pd.concat(frames, ignore_index=True)
    rep.results["gap"] = results[next(k for k in results if k[1] == "all")] if any(
        k[1] == "all" for k in results) else next(iter(results.values()))
    rep.results.update({f"gap_{s}_{g}": r for (s, g), r in results.items()})
    rep.tables["gap"] = frame
    tables, charts = [], []
    ratio = _ratio_rows(frame)
    if ratio is not None and len(ratio):
        wide = _wide_by_source(ratio)
        tables.append(Table(wide, caption="EU27 venture capital as a share of the US (ratio "
                                          "EU27 / US, each source on its own; all stages)",
                            units="ratio EU27 / US"))
        ys = [c for c in wide.columns if c != "year"]
        charts.append(Chart(x="year", y=ys, title="EU27 VC as a share of US VC, by source",
                            y_title="ratio EU27 / US", table=0))
    ladder = frame[(frame["metric"].astype(str) == "cumulative_ratio")]
    if len(ladder):
        lad = ladder[["source", "table", "stage_group", "period", "estimate", "n"]].rename(
            columns={"estimate": "EU27 / US, cumulative", "n": "years"})
        tables.append(Table(lad, caption="The gap along the stage ladder: cumulative EU27 / US "
                                         "ratio over each source's years", units={
                                             "EU27 / US, cumulative": "ratio"}))
    shown = frame.assign(unit=frame["unit"].astype(str).map(_unit_word)) if "unit" in frame \
        else frame
    shown, same = _split_constant(shown)
    tables.append(Table(shown, caption="Every gap metric, tidy; the same in every row: " + same,
                        csv_name="tables/gap.csv"))
    lines = [("Data", rep.inputs["series"].label),
             ("Sources", ", ".join(f"{s} ({_SOURCE_TABLES.get(s, 'all tables')})"
                                   for s in sources if s not in skipped)),
             ("Units", "ratio EU27 / US; money in USD million, current prices"),
             ("Rule", "sources are never mixed in one number")]
    if skipped:
        lines.append(("Skipped", "; ".join(f"{k}: {v}" for k, v in skipped.items())))
    china = _china_gap(rep, series, sources)
    if china is not None:
        wide_cn = _wide_by_source(china)
        tables.append(Table(wide_cn, caption="China (incl. Hong Kong as the source reports it) as "
                                             "a share of the US, all stages",
                            units="ratio CN / US"))
        lines.append(("China", "the sources with China rows only (the OECD table has no China)"))
    rep.sheets["gap"] = [Sheet("Gap over time", title="The EU27-US gap over time, source by source",
                               lines=lines, tables=tables, charts=charts)]
    if ratio is not None and len(ratio):
        rep.figures["gap_over_time"] = (_fig_gap, (ratio,))
    _gap_findings(rep, frame)


def _china_gap(rep: _Report, series: pd.DataFrame, sources: list[str]) -> pd.DataFrame | None:
    """CN / US ratio rows from each source that reports China (kept apart from EU27 rows)."""
    import fundgap

    frames = []
    for src in sources:
        try:
            res = fundgap.gap(series, base="US", against="CN", **_gap_kwargs(series, src))
        except FundgapError:
            continue
        rep.results[f"gap_cn_{src}"] = res
        frames.append(res.to_frame())
    if not frames:
        return None
    frame = pd.concat(frames, ignore_index=True)
    rep.tables["gap_china"] = frame
    ratio = _ratio_rows(frame)
    if ratio is None or not len(ratio):
        return None
    v = _value_col(ratio)
    for src, sub in ratio.groupby(ratio["source"].astype(str), sort=True):
        sub = sub.dropna(subset=[v, "year"])
        if len(sub):
            last = sub.loc[pd.to_numeric(sub["year"], errors="coerce").idxmax()]
            rep.finding("China", f"China VC invested as a share of US VC ({src} "
                        f"{last.get('table', '')})", last[v], "ratio CN / US", int(last["year"]),
                        f"fundgap gap(against='CN') on {src} {last.get('table', '')}",
                        "Gap over time")
    return ratio


def _split_constant(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Drop columns holding one value in every row; return them as 'col = value' text."""
    const = [c for c in frame.columns
             if len(frame) > 1 and frame[c].nunique(dropna=False) == 1
             and c not in ("estimate", "value", "year", "metric")]
    text = "; ".join(f"{c} = {frame[c].iloc[0]}" for c in const) or "nothing"
    return frame.drop(columns=const), text


def _unit_word(code: str) -> str:
    from fundgap.report.excel import describe_unit

    return describe_unit(code, "current")


def _ratio_rows(frame: pd.DataFrame) -> pd.DataFrame | None:
    f = frame
    if "metric" in f.columns:
        f = f[f["metric"].astype(str) == "ratio"]
    if "stage_group" in f.columns:
        f = f[f["stage_group"].astype(str) == "all"]
    if "sector" in f.columns and (f["sector"].astype(str) == "all").any():
        f = f[f["sector"].astype(str) == "all"]
    return f if "year" in f.columns else None


def _value_col(frame: pd.DataFrame) -> str:
    for c in ("estimate", "value"):
        if c in frame.columns:
            return c
    raise KeyError("no estimate/value column")


def _wide_by_source(frame: pd.DataFrame) -> pd.DataFrame:
    v = _value_col(frame)
    f = frame.assign(_s=frame["source"].astype(str))
    if "table" in f.columns:
        f = f.assign(_s=f["_s"] + " " + f["table"].astype(str))
    f = f.dropna(subset=["year"])
    wide = f.pivot_table(index="year", columns="_s", values=v, aggfunc="first").sort_index()
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().assign(year=lambda d: d["year"].astype("int64"))


def _fig_gap(frame: pd.DataFrame) -> Any:
    from fundgap.report import figures

    f = frame.assign(source=frame["source"].astype(str) + " " + frame["table"].astype(str)) \
        if "table" in frame.columns else frame
    return figures.plot_gap(f, value=_value_col(f), hue="source", unit="ratio EU27 / US",
                            title="EU27 venture capital as a share of the US, by source",
                            source=", ".join(sorted(f["source"].astype(str).unique()))
                            + " (each line one source, never blended)",
                            reference=None)


def _gap_findings(rep: _Report, frame: pd.DataFrame) -> None:
    ratio = _ratio_rows(frame)
    if ratio is not None and len(ratio):
        v = _value_col(ratio)
        for src, sub in ratio.groupby(ratio["source"].astype(str), sort=True):
            sub = sub.dropna(subset=[v, "year"])
            if not len(sub):
                continue
            last = sub.loc[pd.to_numeric(sub["year"], errors="coerce").idxmax()]
            rep.finding("Macro gap", f"EU27 VC invested as a share of US VC ({src} "
                        f"{last.get('table', '')})", last[v], "ratio EU27 / US",
                        int(last["year"]), f"fundgap gap() on {src} {last.get('table', '')}",
                        "Gap over time")
    cum = frame[(frame["metric"].astype(str) == "cumulative_gap")
                & (frame["stage_group"].astype(str) == "all")]
    for src, table, period, est in zip(cum["source"].astype(str), cum["table"].astype(str),
                                       cum["period"].astype(str), cum["estimate"]):
        rep.finding("Macro gap", f"Cumulative shortfall of EU27 VC below US VC ({src} {table})",
                    est / 1000.0, "USD billion, current prices", period,
                    f"fundgap gap() on {src} {table}", "Gap over time")
    lad = frame[(frame["metric"].astype(str) == "cumulative_ratio")
                & (frame["stage_group"].astype(str) != "all")]
    if len(lad):
        low = lad.loc[lad["estimate"].astype(float).idxmin()]
        rep.finding("Stage ladder", f"Stage where EU27/US is lowest ({low['source']}): "
                    f"{low['stage_group']}", low["estimate"], "ratio EU27 / US, cumulative",
                    low["period"], f"fundgap gap() by stage on {low['source']}", "Gap over time")


def _section_sources(rep: _Report) -> None:
    import inspect

    import fundgap
    from fundgap.report.excel import Chart, Sheet, Table

    series = rep.need("series")
    kw: dict[str, Any] = {"table": {s: t for s, t in _SOURCE_TABLES.items()
                                    if "table" in series.columns
                                    and (series["table"].astype(str) == t).any()}}
    if "aggregate_countries" in inspect.signature(fundgap.compare_sources).parameters:
        kw["aggregate_countries"] = True
    fallback = ""
    try:
        res = fundgap.compare_sources(series, base="US", against="EU27", **kw)
    except FundgapError as exc:
        per_source = {name[len("gap_"):-len("_all")]: r for name, r in rep.results.items()
                      if name.startswith("gap_") and name.endswith("_all")}
        if not per_source:
            raise
        from fundgap.models import SourceComparisonResult

        res = SourceComparisonResult(
            pd.concat([r.to_frame() for r in per_source.values()], ignore_index=True),
            title="EU27 vs US by source (from gap() per source)",
            meta={"sources": sorted(per_source), "built_from": "gap() per source"})
        fallback = (f"compare_sources() could not run on these series ({exc}); the table is "
                    "gap() run on each source alone, one source per row, never blended")
    rep.results["compare_sources"] = res
    frame = res.to_frame()
    rep.tables["compare_sources"] = frame
    tables, charts = [], []
    if hasattr(res, "side_by_side"):
        side = res.side_by_side("ratio").reset_index()
        side.columns = [str(c) for c in side.columns]
        side = side.assign(year=side["year"].astype("int64"))
        tables.append(Table(side, caption="EU27 / US ratio of VC invested, one column per source",
                            units="ratio EU27 / US"))
        ys = [c for c in side.columns if c != "year"]
        if len(side) and ys:
            charts.append(Chart(x="year", y=ys, title="EU27 / US by source", table=0,
                                y_title="ratio EU27 / US"))
    shown, same = _split_constant(frame.assign(unit=frame["unit"].astype(str).map(_unit_word))
                                  if "unit" in frame else frame)
    tables.append(Table(shown, caption="Every metric from each source (tidy); the same in every "
                                       "row: " + same))
    lines = [("Data", rep.inputs["series"].label),
             ("Why they differ", "OECD counts fund-reported market statistics; NCSES builds on "
                                 "PitchBook deal data. They differ several-fold by design, so "
                                 "fundgap shows each and never blends them.")]
    if fallback:
        lines.append(("Note", fallback))
    skipped = (getattr(res, "meta", {}) or {}).get("skipped")
    if skipped:
        lines.append(("Skipped", "; ".join(f"{k}: {v}" for k, v in skipped.items())))
    rep.sheets["sources"] = [Sheet("Sources compared",
                                   title="The same metric from each source, side by side",
                                   lines=lines, tables=tables, charts=charts)]


def _section_capacity(rep: _Report) -> None:
    import fundgap
    from fundgap.models import lead_capacity
    from fundgap.report.excel import Sheet, Table

    funds = rep.need("funds")
    inp_rounds = rep.inputs.get("rounds")
    rounds = None
    if inp_rounds is not None and inp_rounds.data is not None and len(inp_rounds.data):
        rounds, _ = _is_biotech_subset(inp_rounds.data)
    has_region = "region" in funds.columns and funds["region"].notna().any()
    # what each stage needs: the depth model's median / P75 / P90 round sizes
    sizes = _round_sizes(rep)
    kw: dict[str, Any] = {}
    if has_region:
        pool_col, fund_frame = "region", funds
        if rounds is not None:
            kw["rounds"] = rounds
        pool_note = "funds by the manager's region"
    else:
        pool_col = "fund_pool"
        label = "all funds (manager country unknown)"
        fund_frame = funds.assign(fund_pool=label)
        pool_note = ("the funds have no manager country, so they are one pool: "
                     f"{label}; rounds cannot be matched to domestic funds")
    if sizes is not None:
        kw["round_sizes"] = sizes.drop(columns=["region"]) if not has_region else sizes
    res = fundgap.capacity(fund_frame, region_col=pool_col, **kw)
    frame = res.to_frame()
    if not len(frame):
        raise Unavailable("the capacity model returned no rows (no funds with a size and "
                          f"region): {res.meta}")
    rep.results["capacity"] = res
    rep.tables["capacity"] = frame
    unit = _unit_text(frame, "EUR million, current prices")
    per_unit = float(lead_capacity(1.0))
    tables = []
    case = _fund_case(rep)
    case_lines: list[tuple[str, str]] = []
    if case is not None:
        cf = case.to_frame()
        cm = case.meta
        cols = ["pair", "side", "metric", "statistic", "region", "region_code", "year",
                "published_value", "published_unit", "eur_per_unit", "fund_size_eur", "lever",
                "fund_size_factor", "fund_count_factor", "fund_size_eur_after",
                "largest_lead_round_eur", "largest_lead_round_eur_const",
                "share_rounds_leadable", "share_capital_leadable", "n_rounds", "source", "flag",
                "caveat", "address"]
        tables.append(Table(
            cf[[c for c in cols if c in cf.columns]],
            caption=("Regional fund-size case, EU vs US, from published typical fund sizes "
                     "(POINT VALUES - an average or a median - NOT distributions); levers at "
                     f"x{_fmt(cm['multiple'], 0)}"),
            units={"published_value": "as in published_unit",
                   "eur_per_unit": "EUR per unit, ECB annual average of the year",
                   "fund_size_eur": "EUR million, prices of the figure's year",
                   "fund_size_eur_after": "EUR million, prices of the figure's year",
                   "largest_lead_round_eur": "EUR million, prices of the figure's year",
                   "largest_lead_round_eur_const": f"EUR million, {cm['price_base']} prices",
                   "share_rounds_leadable": "share of the later-stage rounds",
                   "share_capital_leadable": "share of their capital"},
            formats={"share_rounds_leadable": "0.0%", "share_capital_leadable": "0.0%",
                     "eur_per_unit": "0.0000"},
            note=("Comparability: " + cm["caveats"] + ". The EU average covers the EU of 28 "
                  "(with the UK); the European medians all of Europe. Rounds tested: "
                  + str(cm.get("rounds", "none")) + f", {cm.get('rounds_n', 0)} disclosed "
                  f"rounds {cm.get('rounds_years', '')}, {cm.get('rounds_prices', '')}.")))
        case_lines = [
            ("Fund-size case", "published typical fund sizes by region (dataset "
                               f"{PUBLISHED}, read by code): point values (average / median), "
                               "not distributions; each row names its source and flag"),
            ("Caveats", "average vs median (an average exceeds the median of a skewed "
                        "distribution); different years (2017-2024); EU of 28 / Europe, not "
                        "EU-27; USD converted with the ECB annual average rate of the year"),
            ("Rounds tested", str(cm.get("rounds", "none")) + f"; {cm.get('rounds_n', 0)} "
                              f"disclosed rounds {cm.get('rounds_years', '')}; "
                              f"{cm.get('rounds_prices', '')}; fund sizes deflated by the HICP "
                              f"to {cm['price_base']} prices for this test"),
        ]
        today = cf[cf["lever"] == "today"]
        for side, metric, region, year, val, unit, lead in zip(
                today["side"], today["metric"], today["region"], today["year"],
                today["published_value"], today["published_unit"],
                today["largest_lead_round_eur"]):
            rep.finding("Fund capacity", f"Largest round a fund of the published '{metric}' "
                        f"({region}, {_fmt(val, 0)} {unit}) can lead", lead,
                        f"EUR million ({year} prices)", year,
                        f"{PUBLISHED} x fundgap published_fund_case()", "Fund capacity")
        avg = cf[cf["pair"].astype(str).str.startswith("average")]
        us_today = avg[(avg["side"] == "US") & (avg["lever"] == "today")]
        for lever in ("bigger_funds", "more_funds"):
            eu = avg[(avg["side"] == "EU") & (avg["lever"] == lever)]
            if len(eu) and len(us_today):
                rep.finding("Fund capacity", "Largest round the average EU fund can lead after "
                            f"x{_fmt(cm['multiple'], 0)} through {lever} (US average fund "
                            f"today: {_fmt(float(us_today['largest_lead_round_eur'].iloc[0]))})",
                            float(eu["largest_lead_round_eur"].iloc[0]),
                            f"EUR million ({int(eu['year'].iloc[0])} prices)",
                            int(eu["year"].iloc[0]),
                            f"{PUBLISHED} x fundgap published_fund_case()", "Fund capacity")
    shown = frame.assign(unit=frame["unit"].astype(str).map(_unit_word)) if "unit" in frame \
        else frame
    tables.append(Table(shown, caption=f"Fund capacity by {pool_col.replace('_', ' ')}; money in "
                                       f"{unit}",
                        units={"estimate": "as in the unit column",
                               "round_size": unit}))
    rep.sheets["capacity"] = [Sheet(
        "Fund capacity", title="Fund sizes and the rounds funds can lead",
        lines=[("Funds", rep.inputs["funds"].label),
               ("Pool", pool_note),
               ("Round sizes", "median, P75 and P90 biotech round by stage group from the Depth "
                "sheet, EUR million at 2024 prices; fund sizes are in EUR million at the prices of "
                "their vintage year, so for old vintages the rounds look larger than they were"
                if sizes is not None else "none available"),
               ("Rule", "a fund of size F leads a round of at most max_position x F / lead_share "
                        "(defaults 0.15 and 0.5, so 0.3 x F); see Method sheet"),
               *case_lines],
        tables=tables)]
    need = None
    if sizes is not None:
        need = sizes[sizes["label"].astype(str).str.startswith("median")].assign(
            fund_size_needed=lambda d: d["size"] / per_unit)
    rep.figures["fund_sizes"] = (_fig_funds, (
        fund_frame[[c for c in (pool_col, "size_eur") if c in fund_frame.columns]], pool_col, need,
        rep.inputs["funds"].label + f"; round sizes (EUR, {PRICE_BASE} prices): "
        + (rep.inputs["rounds"].label if rep.inputs.get("rounds") else "none")))


def _published_fund_sizes() -> pd.DataFrame | None:
    import fundgap

    try:
        pub = fundgap.load_dataset(PUBLISHED)
    except Exception:  # noqa: BLE001 - optional context
        return None
    m = pub["metric"].astype(str).str.lower()
    keep = m.str.contains("fund size") & pub["unit"].astype(str).isin(["EUR m", "USD m"])
    cols = [c for c in ("code", "metric", "region", "year", "value", "unit", "source", "flag")
            if c in pub.columns]
    return pub.loc[keep.to_numpy(), cols].reset_index(drop=True)


def _round_sizes(rep: _Report) -> pd.DataFrame | None:
    res = rep.results.get("depth")
    if res is None:
        return None
    f = res.to_frame()
    f = f[f["metric"].astype(str).isin(["median", "p75", "p90"])
          & f["stage_group"].astype(str).isin(["seed", "early", "later"])]
    f = f.dropna(subset=["estimate"])
    if not len(f):
        return None
    return pd.DataFrame({
        "region": f["region"].astype(str).to_numpy(),
        "stage_group": f["stage_group"].astype(str).to_numpy(),
        "size": f["estimate"].astype(float).to_numpy(),
        "label": (f["metric"].astype(str) + " " + f["stage_group"].astype(str) + " round, "
                  + f["region"].astype(str)).to_numpy(),
    })


def _fig_funds(funds: pd.DataFrame, pool: str, need: pd.DataFrame | None, source: str) -> Any:
    from fundgap.report import figures

    if need is not None:
        need = need.assign(stage_group=need["stage_group"] + " (" + need["region"] + ")")
    return figures.plot_fund_sizes(funds, size="size_eur", hue=pool, needed=need, source=source)


def _section_scenario(rep: _Report) -> None:
    import fundgap
    from fundgap.report.excel import Chart, Sheet, Table

    o = rep.opts
    path = fundgap.growth_path(o["multiple"], o["years"])
    baseline, fund_note = _scenario_baseline(rep)
    res = fundgap.project(baseline, path, lever=o["lever"], horizon=o["years"],
                          n_sims=o["n_sims"], seed=o["seed"], trend_years=SCENARIO_TREND_YEARS)
    rep.results["scenario"] = res
    frame = res.to_frame()
    rep.tables["scenario"] = frame
    sheets = []
    fan = res.fan() if o["n_sims"] and hasattr(res, "fan") else None
    chart_table, label = _fan_table(frame, fan)
    tables = [Table(chart_table, caption=label)]
    ys = [c for c in chart_table.columns if c != "year"]
    charts = [Chart(x="year", y=ys, title=label, y_title="ratio EU27 / US",
                    dashed=[c for c in ys if c in ("q05", "q95", "q25", "q75")], table=0)]
    # how much the conclusion depends on the US counterfactual: flat, trend, trend on all years
    us_cf = _us_counterfactuals(baseline, path, o)
    if us_cf is not None:
        rep.tables["scenario_us_counterfactual"] = us_cf
        tables.append(Table(us_cf, caption=f"EU27/US capital ratio in {o['years']} years under "
                                           "each US counterfactual (deterministic runs; US "
                                           "growth in % a year)",
                            formats={c: "0.000" for c in us_cf.columns if c.startswith("ratio")}))
    cross = res.crossings() if hasattr(res, "crossings") else None
    if cross is not None and len(cross):
        tables.append(Table(cross, caption="First year each ratio crosses its threshold "
                                           "(US on its trend)"))
        rep.tables["scenario_crossings"] = cross
    case = _fund_case(rep)
    if case is not None:
        tables.append(Table(_fund_case_levers(case), caption=(
            f"Published typical fund sizes (points, not distributions): largest round one fund "
            f"can lead today and after x{_fmt(o['multiple'], 0)} by lever, EUR million at the "
            "prices of each figure's year"),
            note="bigger_funds: fund size x multiple; more_funds: number of funds x multiple, "
                 "size unchanged, so the largest leadable round does not move; see the Fund "
                 "capacity sheet for sources, flags and caveats"))
    sens = _sensitivity(baseline, o)
    if sens is not None:
        rep.tables["scenario_sensitivity"] = sens
        tables.append(Table(sens, caption="Sensitivity (tornado): each parameter at its low and "
                                          "high value, the others at base; outputs for EU27 in "
                                          f"{o['years']} years (us_growth: the US trend's 95% "
                                          "interval)"))
    meta = res.meta or {}
    trends = meta.get("trends") or {}
    lines = [("Path", f"compound growth to x{o['multiple']} in {o['years']} "
                      f"years ({100 * (o['multiple'] ** (1 / o['years']) - 1):.2f}%"
                      " a year)"),
             ("Lever", o["lever"]),
             ("US counterfactual", "log-linear OLS trend of each US stage fitted on the "
                                   f"{meta.get('trend_years') or 'history'} (trend window; "
                                   "the OECD series' early years carry coverage breaks)"),
             ("US trends", "; ".join(f"{k}: {v}" for k, v in trends.items()) or "none"),
             ("Simulations", f"{o['n_sims']:,} (seed {o['seed']})")]
    if fund_note:
        lines.append(("Fund sizes", fund_note))
    sheets.append(Sheet("Scenario", title=f"x{_fmt(o['multiple'], 0)} in {o['years']} years "
                                          f"({o['lever']}): EU27 against the US",
                        lines=lines, tables=tables, charts=charts))
    long = res.to_long() if hasattr(res, "to_long") else frame
    rep.tables["scenario_long"] = long
    sheets.append(Sheet("Scenario (long)", title="Scenario output in the long format of scenario "
                                                 "modellers (model, scenario, region, variable, "
                                                 "unit, year, value)",
                        tables=[Table(long, csv_name="tables/scenario_long.csv")]))
    rep.sheets["scenario"] = sheets
    base_src = (res.meta or {}).get("baseline_source", "the shipped OECD series")
    rep.figures["scenario_fan"] = (_fig_fan, (
        chart_table, label, f"fundgap project(), x{_fmt(o['multiple'], 0)} in {o['years']} years, "
        f"lever {o['lever']}, {o['n_sims']:,} simulations; baseline: {base_src}"))
    _scenario_findings(rep, frame, cross, us_cf)


#: Trend window of the US counterfactual in the report (the last 10 observed years).
SCENARIO_TREND_YEARS = 10


def _us_counterfactuals(baseline: Any, path: Any, o: Mapping[str, Any]) -> pd.DataFrame | None:
    """EU27/US ratio at the horizon with the US flat, on its 10-year trend and on all years."""
    import fundgap

    runs = {"ratio_us_flat": {"us_growth": 0.0},
            "ratio_us_trend": {"trend_years": SCENARIO_TREND_YEARS},
            "ratio_us_trend_all_years": {"trend_years": None}}
    cols: dict[str, pd.Series] = {}
    growth: dict[str, dict[str, float]] = {}
    start = None
    for name, kw in runs.items():
        try:
            r = fundgap.project(baseline, path, lever=o["lever"], horizon=o["years"], **kw)
        except FundgapError:
            continue
        f = r.to_frame()
        f = f[(f["region"].astype(str) == "EU27") & (f["variable"].astype(str) == "ratio_to_US")]
        if not len(f):
            continue
        cols[name] = f[f["t"] == f["t"].max()].set_index("stage_group")["value"]
        start = f[f["t"] == 0].set_index("stage_group")["value"]
        if "trend_years" in kw:
            growth[name] = {k.split("/", 1)[1]: float(v.split("/yr")[0]) for k, v in
                            ((r.meta or {}).get("trends") or {}).items() if k.startswith("US/")}
    if not cols or start is None:
        return None
    order = [s for s in ("seed", "early", "later", "all") if s in start.index]
    out = pd.DataFrame({"stage_group": order, "ratio_start": start.reindex(order).to_numpy()})
    for name, col in cols.items():
        out[name] = col.reindex(order).to_numpy()
    for name, g in growth.items():
        out["us_growth_pct_" + name.removeprefix("ratio_us_")] = [
            100 * g[s] if s in g else np.nan for s in order]
    return out


def _sensitivity(baseline: Any, o: Mapping[str, Any]) -> pd.DataFrame | None:
    import fundgap

    try:
        res = fundgap.sensitivity(baseline, multiple=o["multiple"], years=o["years"],
                                  lever=o["lever"], horizon=o["years"],
                                  trend_years=SCENARIO_TREND_YEARS)
    except FundgapError:
        return None
    t = res.to_frame()
    return t[t[["value_base", "value_low", "value_high"]].notna().any(axis=1)] \
        .reset_index(drop=True)


def _fund_case(rep: _Report) -> Any:
    """The published EU vs US fund-size case (computed once, shared by two sheets)."""
    if "fund_case" in rep.results:
        return rep.results["fund_case"]
    import fundgap
    from fundgap.models import published_fund_case

    try:
        pub = fundgap.load_dataset(PUBLISHED)
    except Exception:  # noqa: BLE001 - optional context
        rep.results["fund_case"] = None
        return None
    try:
        rounds = _shipped_rounds()
    except Exception:  # noqa: BLE001 - the case still runs without the round test
        rounds = None
    res = published_fund_case(
        pub, rounds, multiple=rep.opts.get("multiple", 5.0), price_base=PRICE_BASE,
        rounds_label="CrunchBase 2013 US biotech later-stage rounds (shipped dataset "
                     f"{SHIPPED_ROUNDS}: US rounds, 2013 and earlier)")
    rep.results["fund_case"] = res
    rep.tables["fund_case"] = res.to_frame()
    return res


def _fund_case_levers(case: Any) -> pd.DataFrame:
    """Pair x lever with EU and US largest leadable round side by side."""
    f = case.to_frame()
    wide = f.pivot_table(index=["pair", "lever"], columns="side", values="largest_lead_round_eur",
                         aggfunc="first", sort=False).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    ren = {"EU": "EU largest lead round", "US": "US largest lead round"}
    wide = wide.rename(columns=ren)
    for c in ren.values():
        if c not in wide.columns:
            wide[c] = np.nan
    wide["pair"] = wide["pair"].astype(str)
    wide["lever"] = wide["lever"].astype(str)
    return wide[["pair", "lever", *ren.values()]]


def _auto_select(series: pd.DataFrame) -> dict[str, Any]:
    """One value of each column a baseline must not mix (OECD, USD million, VC invested, all)."""
    prefer = {"source": "oecd", "unit": "USD_M", "measure": "vc_invested", "sector": "all",
              "price_base": "current", "table": None}
    select: dict[str, Any] = {}
    for col, first in prefer.items():
        if col not in series.columns:
            continue
        values = series[col].dropna().astype(str)
        if values.nunique() <= 1:
            continue
        select[col] = first if first in set(values) else values.value_counts().index[0]
    if "table" in select and "source" in select:
        sub = series[series["source"].astype(str) == select["source"]]
        tables = sub["table"].dropna().astype(str)
        if tables.nunique() <= 1:
            del select["table"]
        else:
            select["table"] = _SOURCE_TABLES.get(select["source"], tables.value_counts().index[0])
    return select


def _scenario_baseline(rep: _Report) -> tuple[Any, str | None]:
    """The scenario's baseline and a note on its fund sizes.

    The shipped baseline unless the caller gave series or funds with regions. A
    baseline without regional fund sizes gets the published EU and US typical fund
    sizes (points, see :func:`fundgap.scenarios.published_fund_sizes`).
    """
    b = _scenario_baseline_data(rep)
    if b.fund_sizes:
        return b, None
    import fundgap
    from fundgap.scenarios import make_baseline, published_fund_sizes

    try:
        sizes, note = published_fund_sizes(fundgap.load_dataset(PUBLISHED), unit=b.unit)
    except Exception:  # noqa: BLE001 - the scenario runs without capacity outputs
        return b, None
    b2 = make_baseline(b, fund_sizes=sizes)
    b2.notes.append(note)
    rep.method.append(("Scenario fund sizes", note))
    return b2, note


def _scenario_baseline_data(rep: _Report) -> Any:
    from fundgap.scenarios import shipped_baseline

    series = rep.inputs.get("series")
    funds = rep.inputs.get("funds")
    user_funds = None
    if funds is not None and not funds.shipped and funds.data is not None \
            and "region" in funds.data.columns and funds.data["region"].notna().any():
        user_funds = funds.data
    if (series is None or series.shipped or series.data is None) and user_funds is None:
        return shipped_baseline()
    from fundgap.scenarios import make_baseline

    data = series.data if series is not None and series.data is not None else shipped_series()
    kw: dict[str, Any] = {"select": _auto_select(data)}
    if user_funds is not None:
        kw["funds"] = user_funds
    rounds = rep.inputs.get("rounds")
    if rounds is not None and rounds.data is not None and len(rounds.data):
        kw["rounds"], _ = _is_biotech_subset(rounds.data)
    rep.method.append(("Scenario baseline", f"make_baseline(series, {', '.join(kw)}) with "
                                            f"select={kw['select']}"))
    return make_baseline(data, **kw)


def _fan_table(frame: pd.DataFrame, fan: pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """Wide table (year x quantiles) of the EU27/US ratio for the stage shown."""
    var = "ratio_to_US"
    src = fan if fan is not None and len(fan) else frame
    sub = src[(src["region"].astype(str) == "EU27") & (src["variable"].astype(str) == var)]
    stages = sub["stage_group"].astype(str).unique().tolist()
    stage = next((s for s in ("all", "later", "early", "seed") if s in stages),
                 stages[0] if stages else None)
    if stage is None:
        raise Unavailable("the scenario has no EU27 / US ratio")
    sub = sub[sub["stage_group"].astype(str) == stage].sort_values("year")
    qcols = [c for c in sub.columns if c.startswith("q") and c[1:].isdigit()]
    cols = ["year", *qcols] if qcols else ["year", "value"]
    wide = sub[cols].reset_index(drop=True)
    if not qcols:
        wide = wide.rename(columns={"value": "central"})
    else:
        central = frame[(frame["region"].astype(str) == "EU27")
                        & (frame["variable"].astype(str) == var)
                        & (frame["stage_group"].astype(str) == stage)][["year", "value"]]
        wide = wide.merge(central.rename(columns={"value": "central"}), on="year", how="left")
    stage_text = "all stages" if stage == "all" else f"{stage} stage"
    label = f"EU27 capital as a share of US capital, {stage_text} (ratio; fan = simulation quantiles)"
    return wide, label


def _fig_fan(table: pd.DataFrame, label: str, source: str) -> Any:
    from fundgap.report import figures

    bands = [b for b in (("q05", "q95"), ("q25", "q75")) if set(b) <= set(table.columns)]
    median = "q50" if "q50" in table.columns else "central"
    ax = figures.plot_fan(table, median=median, bands=bands, unit="ratio EU27 / US",
                          title=label.split(" (")[0], label="EU27 / US", source=source)
    return ax


def _scenario_findings(rep: _Report, frame: pd.DataFrame, cross: pd.DataFrame | None,
                       us_cf: pd.DataFrame | None = None) -> None:
    o = rep.opts
    if us_cf is not None and "ratio_us_flat" in us_cf.columns:
        for stage, v in zip(us_cf["stage_group"], us_cf["ratio_us_flat"]):
            if stage in ("all", "later"):
                what = "all stages" if stage == "all" else f"{stage} stage"
                rep.finding("Scenario", f"EU27/US capital ratio after x{_fmt(o['multiple'], 0)} "
                            f"in {o['years']} years, {what}, if US capital stays flat", v,
                            "ratio EU27 / US", int(frame["year"].max()) if len(frame) else "",
                            "fundgap project(us_growth=0)", "Scenario")
    shown = ("all", "later")
    f = frame[(frame["region"].astype(str) == "EU27")
              & (frame["variable"].astype(str) == "ratio_to_US")
              & frame["stage_group"].astype(str).isin(shown)]
    if len(f):
        last = f[f["year"] == f["year"].max()]
        for stage, v in zip(last["stage_group"].astype(str), last["value"]):
            what = "all stages" if stage == "all" else f"{stage} stage"
            rep.finding("Scenario", f"EU27/US capital ratio after x{_fmt(o['multiple'], 0)} in "
                        f"{o['years']} years, {what} (lever {o['lever']}, US on its "
                        f"{SCENARIO_TREND_YEARS}-year trend)", v,
                        "ratio EU27 / US", int(last["year"].iloc[0]), "fundgap project()",
                        "Scenario")
    if cross is not None and len(cross) and "threshold" in cross.columns:
        c = cross[(cross["region"].astype(str) == "EU27") & (cross["against"].astype(str) == "US")
                  & cross["stage_group"].astype(str).isin(shown) & (cross["threshold"] == 0.5)]
        for stage, yr, status in zip(c["stage_group"].astype(str), c["crossing_year"],
                                     c["status"].astype(str)):
            what = "all stages" if stage == "all" else f"{stage} stage"
            rep.finding("Scenario", f"First year EU27 capital reaches half of the US, {what}",
                        status if pd.isna(yr) else int(yr), "year", "", "fundgap project()",
                        "Scenario")


def _section_published(rep: _Report) -> None:
    import fundgap
    from fundgap.report.excel import Sheet, Table

    pub = fundgap.load_dataset(PUBLISHED)
    beside = _beside(rep, pub.copy())
    first = ["code", "metric", "region", "region_code", "stage_group", "year", "value", "unit",
             "fundgap_value", "fundgap_unit", "fundgap_source", "scope", "source", "address",
             "flag", "snippet"]
    first = [c for c in first if c in beside.columns]
    beside = beside[first + [c for c in beside.columns if c not in first]]
    rep.tables["published_benchmarks"] = beside
    rep.sheets["published"] = [Sheet(
        "Published benchmarks", title="Published figures beside fundgap's own",
        lines=[("Data", f"shipped dataset {PUBLISHED}"),
               ("Read", "each row is one published figure with its source and address; the "
                        "fundgap columns give the nearest figure fundgap computes, where one "
                        "exists. Flags mark secondary sources.")],
        tables=[Table(beside, units={"value": "unit as in the 'unit' column",
                                     "fundgap_value": "unit as in 'fundgap_unit'"})])]


_MONEY_UNITS = {"USD bn": ("USD", 1e-3), "USD m": ("USD", 1.0), "EUR bn": ("EUR", 1e-3),
                "EUR m": ("EUR", 1.0)}
_SERIES_LABEL = {"oecd": "OECD", "ncses": "NCSES"}


def _beside(rep: _Report, pub: pd.DataFrame) -> pd.DataFrame:
    """Put fundgap's figure for the same region, stage, year and unit beside each published one.

    Matching rows: VC invested (all sectors, or biotech where the published metric is
    about biotech) from each shipped series source, converted to the published unit
    (ECB annual average rate for EUR); and the US/EU ratio of VC invested for
    published "x (US/EU)" gap figures. Other rows (fund sizes, shares, counts) have
    no comparable fundgap figure and stay empty.
    """
    out = pub.copy()
    inp = rep.inputs.get("series")
    series = inp.data if inp is not None else None
    cols = {"fundgap_value": [np.nan] * len(out), "fundgap_unit": [None] * len(out),
            "fundgap_source": [None] * len(out)}
    needed = {"region_code", "year", "unit", "metric"}
    if series is None or not needed <= set(out.columns) or not len(series):
        return out.assign(**{k: pd.array(v, dtype="float64" if k == "fundgap_value" else "string")
                             for k, v in cols.items()})
    single = {"US": "US", "CN": "CN", "UK": "GB"}  # regions that are one country
    reg = series["region"].astype("object")
    is_aggregate = series["country"].isna() | (series["country"].astype("object")
                                               == reg.map(single)).fillna(False)
    s = series[(series["measure"].astype(str) == "vc_invested") & is_aggregate
               & (series["unit"].astype(str).isin(["USD_M", "PCT_GDP"]))]
    s = s.assign(region=s["region"].astype(str), stage_group=s["stage_group"].astype(str),
                 sector=s["sector"].astype(str), year=s["year"].astype("Int64"),
                 unit=s["unit"].astype(str), source=s["source"].astype(str),
                 table=s["table"].astype(str))
    # one value per (region, stage, sector, year, unit, source): prefer the first table listed
    s = s.drop_duplicates(["region", "stage_group", "sector", "year", "unit", "source"])
    lookup = {k: (v, t) for k, v, t in zip(
        zip(s["region"], s["stage_group"], s["sector"], s["year"], s["unit"], s["source"]),
        s["value"], s["table"])}
    sources = sorted(s["source"].unique())
    metric = out["metric"].astype(str).str.lower()
    biotech = metric.str.contains("biotech|biopharma|life-sci|life sci", regex=True)
    vc_money = metric.str.contains("vc invested|vc investment|deal value|biotech vc|biopharma vc",
                                   regex=True)
    stage = out["stage_group"].astype("string").fillna("all") if "stage_group" in out else \
        pd.Series(["all"] * len(out))
    region = out["region_code"].astype("string")
    unit = out["unit"].astype(str)
    years = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    for i in range(len(out)):  # about 90 published rows
        y, r, u, g = years.iloc[i], region.iloc[i], unit.iloc[i], stage.iloc[i]
        if pd.isna(y):
            continue
        sector = "biotech" if biotech.iloc[i] else "all"
        found = []
        if vc_money.iloc[i] and not pd.isna(r) and (u in _MONEY_UNITS or u == "% of GDP"):
            code = "PCT_GDP" if u == "% of GDP" else "USD_M"
            for src in sources:
                hit = lookup.get((str(r), str(g), sector, int(y), code, src))
                if hit is None:
                    continue
                value, table = hit
                if u in _MONEY_UNITS:
                    cur, scale = _MONEY_UNITS[u]
                    if cur == "EUR":
                        value = _usd_to_eur(value, int(y))
                    value = value * scale
                found.append((value, f"{_SERIES_LABEL.get(src, src)} {table}"))
        elif u.startswith("×") and "US/EU" in u and str(g) == "all":
            for src in sources:
                us = lookup.get(("US", "all", sector, int(y), "USD_M", src))
                eu = lookup.get(("EU27", "all", sector, int(y), "USD_M", src))
                if us and eu and eu[0] > 0:
                    found.append((us[0] / eu[0], f"{_SERIES_LABEL.get(src, src)} {us[1]}, US / EU27"))
        if found:
            cols["fundgap_value"][i] = float(found[0][0])
            cols["fundgap_unit"][i] = u
            cols["fundgap_source"][i] = "; ".join(
                f"{lab}: {_fmt(v, 2)}" for v, lab in found)
    return out.assign(fundgap_value=np.asarray(cols["fundgap_value"], dtype="float64"),
                      fundgap_unit=pd.array(cols["fundgap_unit"], dtype="string"),
                      fundgap_source=pd.array(cols["fundgap_source"], dtype="string"))


def _usd_to_eur(value: float, year: int) -> float:
    from fundgap.normalise import convert_currency

    return float(convert_currency(pd.Series([value]), "USD", pd.Series([year]), to="EUR").iloc[0])


def _section_rejects(rep: _Report) -> None:
    from fundgap.report.excel import Sheet, Table

    frames = []
    for kind, inp in rep.inputs.items():
        if inp.rejects is not None and len(inp.rejects):
            frames.append(inp.rejects.assign(input=kind).pipe(
                lambda d: d[["input", *[c for c in d.columns if c != "input"]]]))
    if not frames:
        raise Unavailable("no rows were rejected")
    rej = pd.concat(frames, ignore_index=True)
    rep.tables["rejected_rows"] = rej
    rep.sheets["rejects"] = [Sheet("Rejected rows", title="Input rows fundgap could not use, with "
                                                          "the reason",
                                   tables=[Table(rej, csv_name="tables/rejected_rows.csv")])]


# ----------------------------------------------------------------------------- front matter


_SHEET_PURPOSE = {
    "Key findings": "the few numbers a minister needs, each with its source",
    "Depth by stage": "round counts and sizes by region and stage, with intervals",
    "Regional comparison": "regression ratios of round size to the US by stage",
    "Gap over time": "the EU27-US gap in aggregate statistics, source by source",
    "Sources compared": "the same metric from each source side by side",
    "Fund capacity": "fund sizes and the largest rounds domestic funds can lead",
    "Scenario": "x5 in 10 years: EU27/US ratio with the Monte Carlo fan",
    "Scenario (long)": "the scenario in the long format of scenario modellers",
    "Published benchmarks": "figures from public reports beside fundgap's",
    "Method and sources": "definitions, assumptions and data provenance",
    "Rejected rows": "input rows that could not be used, with the reason",
}

_SECTION_SHEETS = {
    "depth": "Depth by stage", "compare": "Regional comparison", "gap": "Gap over time",
    "sources": "Sources compared", "capacity": "Fund capacity", "scenario": "Scenario",
    "published": "Published benchmarks", "rejects": "Rejected rows",
}


def _dataset_table() -> pd.DataFrame | None:
    import fundgap

    try:
        return fundgap.list_datasets()
    except Exception:  # noqa: BLE001 - the cover still lists the inputs
        return None


def _front_sheets(rep: _Report) -> list[Any]:
    import fundgap
    from fundgap.report.excel import Sheet, Table

    today = _dt.date.today().isoformat()
    version = fundgap.__version__
    datasets = _dataset_table()
    vint = []
    for kind in ("rounds", "funds", "series"):
        inp = rep.inputs.get(kind)
        if inp is None:
            continue
        text = inp.label if inp.data is not None else f"{inp.label}: {inp.reason}"
        vint.append((f"Data: {kind}", text))
    if datasets is not None and len(datasets):
        cov = datasets.set_index("name")["coverage"].astype(str).to_dict() \
            if {"name", "coverage"} <= set(datasets.columns) else {}
        for name in (SHIPPED_ROUNDS, SHIPPED_FUNDS, *SHIPPED_SERIES, PUBLISHED):
            if name in cov:
                vint.append((f"Vintage: {name}", cov[name]))
    cover = Sheet("Cover", title="fundgap report: Europe's biotech funding gap", freeze=False, lines=[
        ("Date", today),
        ("fundgap version", version),
        ("Question", "How deep is the pool of capital for biotech companies in Europe, stage by "
                     "stage, compared with the US and China, and what would growing European "
                     "capital fivefold in ten years do to the gap?"),
        ("Units", "money in millions of the stated currency; constant prices where a header says "
                  "so (e.g. 'EUR million, 2024 prices'), else current prices"),
        *vint,
        ("How to cite", CITATION_TEXT.format(year=today[:4], version=version)),
        ("Contents", "see the 'Contents' sheet", "#'Contents'!A1"),
    ], widths={"A": 24, "B": 110})
    # contents
    present = ["Key findings"] + [s.name for key in ("depth", "compare", "gap", "sources",
                                                     "capacity", "scenario", "published",
                                                     "rejects")
                                  for s in rep.sheets.get(key, [])] + ["Method and sources"]
    status = {_SECTION_SHEETS.get(s.key, s.title): s for s in rep.sections}
    rows = []
    for name in present:
        rows.append({"sheet": name, "what it shows": _SHEET_PURPOSE.get(name, ""),
                     "status": "ok"})
    for key, title in _SECTION_SHEETS.items():
        st = status.get(title)
        if st is not None and st.status != "ok" and key != "rejects":
            rows.append({"sheet": f"({title})", "what it shows": _SHEET_PURPOSE.get(title, ""),
                         "status": f"{st.status}: {st.detail}"})
    contents = pd.DataFrame(rows)
    contents_sheet = Sheet("Contents", title="Contents",
                           lines=[(r["sheet"], r["what it shows"], f"#'{r['sheet']}'!A1")
                                  for r in rows if not r["sheet"].startswith("(")],
                           tables=[Table(contents, caption="Sections and their status")],
                           freeze=False, widths={"A": 26, "B": 70, "C": 60})
    # key findings
    kf = pd.DataFrame(rep.findings, columns=["topic", "finding", "value", "unit", "year", "source",
                                             "sheet"])
    if len(kf):
        kf = kf.assign(value=kf["value"].map(
            lambda v: float(v) if isinstance(v, (int, float, np.floating, np.integer))
            and not isinstance(v, bool) else v))
    findings = Sheet("Key findings", title="Key findings",
                     lines=[("Read", "each number comes from the sheet named in its row; sources "
                                     "are never blended")],
                     tables=[Table(kf, formats={"value": "#,##0.00"},
                                   units={"value": "unit as in the 'unit' column"})],
                     widths={"B": 60, "F": 45})
    return [cover, contents_sheet, findings]


def _method_sheet(rep: _Report) -> Any:
    from fundgap.report.excel import Sheet, Table

    lines = [
        ("Method", "See METHODOLOGY.md in the fundgap repository for definitions and formulas."),
        ("Money", "amounts in millions; converted at the ECB annual average rate of the round's "
                  "year; constant prices where a header says so"),
        ("Regions", "EU27 is the fixed 2020 composition (no UK) in every year"),
        ("Stages", "seed / early / later groups as the OECD and Invest Europe use them; rows in "
                   "unknown stages are counted and reported"),
        ("Sources", "OECD and NCSES figures are never blended; each line, row or number names its "
                    "source"),
        *rep.method,
    ]
    opts = [{"section": key, "option": str(k), "value": _meta_text(v)}
            for key, res in rep.results.items() for k, v in (getattr(res, "meta", {}) or {}).items()]
    tables = [Table(pd.DataFrame(opts, columns=["section", "option", "value"]),
                    caption="Options and assumptions of each model, as run")]
    ds = _dataset_table()
    if ds is not None and len(ds):
        tables.append(Table(ds, caption="Shipped datasets: source and licence"))
    timing = pd.DataFrame([{"section": s.title, "status": s.status, "detail": s.detail,
                            "seconds": round(s.seconds, 2)} for s in rep.sections])
    tables.append(Table(timing, caption="Sections of this report", units={"seconds": "s"}))
    return Sheet("Method and sources", title="Method and sources", lines=lines, tables=tables,
                 freeze=False)


def _meta_text(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, Mapping):
        return "; ".join(f"{k}={x}" for k, x in v.items())
    if isinstance(v, pd.DataFrame):
        return f"table of {len(v)} rows"
    return str(v)


# ----------------------------------------------------------------------------- main entry


def write_report(
    out: str | os.PathLike = "fundgap-report",
    *,
    rounds: Any = None,
    rounds_source: str | None = None,
    funds: Any = None,
    funds_source: str | None = None,
    series: Any = None,
    series_source: str | None = None,
    multiple: float = 5.0,
    years: int = 10,
    lever: str = "bigger_funds",
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    max_rows: int | None = None,
    figures: bool = True,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    groups: Mapping[str, Any] | None = None,
    against: str | None = None,
) -> ReportOutput:
    """Run the whole analysis and write the workbook, figures and tidy tables.

    Parameters
    ----------
    out : path-like, default "fundgap-report"
        Output folder (created). Receives ``fundgap-report.xlsx``,
        ``figures/*.png`` and ``*.svg`` and ``tables/*.csv``.
    rounds, funds, series : path, DataFrame, Loaded or None
        Your data: a file (read with :func:`fundgap.read_rounds` etc. and
        ``*_source``), a canonical frame or a :class:`~fundgap.loaded.Loaded`.
        None uses the shipped data (CrunchBase 2013 US biotech rounds,
        CrunchBase 2013 funds, OECD + NCSES series).
    rounds_source, funds_source, series_source : str, optional
        Layout of the files (default: sniffed from the header).
    multiple, years, lever : scenario options (x5 in 10 years, ``bigger_funds``).
    n_sims : int, default 1000
        Monte Carlo simulations of the scenario (0 = central projection only).
    seed : int
        Seed of every stochastic step (bootstrap, Monte Carlo).
    max_rows : int, optional
        Largest table written into the workbook (default 20,000); longer tables
        are in ``tables/`` and the sheet says so.
    figures : bool, default True
        Write the figures.
    strict : bool, default False
        Raise on a section's unexpected error instead of reporting it as failed
        (errors caused by missing or unsuitable input are always reported, not raised).
    progress : callable, optional
        Called with each finished step's name (the CLI draws a progress bar).
    groups, against : optional
        Groups of countries and a place to compare (see :func:`fundgap.gap`), checked
        before any work and kept in ``opts`` for the sections comparing places.

    Returns
    -------
    ReportOutput

    Raises
    ------
    FundgapError
        When a file you gave cannot be read (bad layout, missing columns ...).
    """
    t0 = time.perf_counter()
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise FundgapError("the output folder is a file", file=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    from fundgap.normalise.groups import place_options

    opts = {"multiple": float(multiple), "years": int(years), "lever": lever,
            "n_sims": int(n_sims), "seed": seed, **place_options(groups, against)}
    rep = _Report(out_dir, opts, strict, progress)
    parallel = os.environ.get("FUNDGAP_NO_FORK", "") != "1"

    # rounds and funds load in a child process while this one works on the series
    def load_rounds_funds() -> tuple[_Input, _Input]:
        return (_load_input("rounds", rounds, rounds_source, _shipped_rounds, SHIPPED_ROUNDS),
                _load_input("funds", funds, funds_source, _shipped_funds, SHIPPED_FUNDS))

    # a file you give is read first, so its errors come before any work is done
    job = _Child(load_rounds_funds, parallel=parallel and rounds is None and funds is None)
    worker = _FigureWorker(out_dir / "figures", strict, parallel=parallel and figures)
    try:
        return _run_sections(rep, job, worker, t0, rounds=rounds, funds=funds, series=series,
                             series_source=series_source, figures=figures, max_rows=max_rows,
                             progress=progress)
    finally:
        worker.close()


def _run_sections(rep: _Report, job: Any, worker: _FigureWorker, t0: float, *, rounds: Any,
                  funds: Any, series: Any, series_source: str | None, figures: bool,
                  max_rows: int | None, progress: Callable[[str], None] | None) -> ReportOutput:
    out_dir = rep.out_dir
    strict = rep.strict
    if rounds is not None or funds is not None:
        loaded_now = job.result()
        job = _Done(loaded_now)
    rep.inputs["series"] = _load_input("series", series, series_source, shipped_series,
                                       " + ".join(SHIPPED_SERIES))
    rep.run("gap", "Gap over time", lambda: _section_gap(rep))
    rep.run("sources", "Sources compared", lambda: _section_sources(rep))
    rep.run("published", "Published benchmarks", lambda: _section_published(rep))
    rep.inputs["rounds"], rep.inputs["funds"] = job.result()
    rep.run("scenario", "Scenario", lambda: _section_scenario(rep))
    rep.run("depth", "Depth by stage", lambda: _section_depth(rep))
    rep.run("compare", "Regional comparison", lambda: _section_compare(rep))
    rep.run("capacity", "Fund capacity", lambda: _section_capacity(rep))
    rep.run("rejects", "Rejected rows", lambda: _section_rejects(rep))
    order = ["depth", "compare", "gap", "sources", "capacity", "scenario", "published", "rejects"]
    rep.sections.sort(key=lambda st: order.index(st.key) if st.key in order else len(order))
    topics = ["Macro gap", "Stage ladder", "China", "Round size", "Fund capacity", "Scenario"]
    rep.findings.sort(key=lambda f: topics.index(f["topic"]) if f["topic"] in topics else 99)

    result = ReportOutput(out_dir, results=dict(rep.results))
    tdir = out_dir / "tables"
    tdir.mkdir(exist_ok=True)

    # figures are drawn in the worker process while this one writes the tables and the workbook
    fig_job = None
    if figures and rep.figures:
        worker.submit(rep.figures)
        fig_job = worker

    from fundgap.report.excel import _atomic_csv

    for name, frame in rep.tables.items():
        p = tdir / f"{name}.csv"
        _atomic_csv(frame, p)
        result.tables.append(p)

    def book() -> None:
        from fundgap.report.excel import write_workbook

        sheets = _front_sheets(rep)
        for key in order:
            sheets.extend(rep.sheets.get(key, []))
        sheets.append(_method_sheet(rep))
        cap = REPORT_MAX_ROWS if max_rows is None else int(max_rows)
        result.workbook = write_workbook(
            sheets, out_dir / WORKBOOK_NAME, max_rows=cap,
            properties={"title": "fundgap report: Europe's biotech funding gap",
                        "creator": f"fundgap {_version()}",
                        "subject": "EU-US-China venture capital gap by stage"})

    rep.run("workbook", "Workbook", book)
    if fig_job is not None:
        t_fig = time.perf_counter()
        paths, errors, seconds = fig_job.result()
        result.figures.extend(paths)
        st = SectionStatus("figures", "Figures", "ok" if not errors else "failed",
                           "; ".join(errors), max(seconds, time.perf_counter() - t_fig))
        rep.sections.append(st)
        if errors:
            warnings.warn(f"fundgap report: figures failed: {st.detail}", stacklevel=2)
        if progress is not None:
            progress("Figures")
    result.sections = rep.sections
    result.seconds = time.perf_counter() - t0
    if result.workbook is None:
        failed = [s for s in rep.sections if s.key == "workbook"]
        raise FundgapError(f"the workbook could not be written: {failed[0].detail if failed else ''}",
                           file=out_dir / WORKBOOK_NAME)
    return result


def _draw_figures(specs: Mapping[str, tuple[Callable[..., Any], tuple[Any, ...]]], folder: Path,
                  strict: bool) -> tuple[list[Path], list[str], float]:
    """Draw and save every figure; return (paths, errors, seconds)."""
    t0 = time.perf_counter()
    from fundgap.report.figures import save_figure

    paths: list[Path] = []
    errors: list[str] = []
    for name, (fn, args) in specs.items():
        try:
            ax = fn(*args)
        except Unavailable:
            continue
        except Exception as exc:
            if strict:
                raise
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        paths.extend(save_figure(ax, folder, name))
    return paths, errors, time.perf_counter() - t0


class _FigureWorker:
    """A forked child that imports matplotlib and seaborn at once, then draws on request.

    The import (the slow part of drawing a few figures) overlaps the models;
    ``submit(specs)`` sends the figure inputs (pickled), ``result()`` returns
    ``(paths, errors, seconds)``. Without fork, or if the inputs cannot be
    pickled, the figures are drawn in this process.
    """

    def __init__(self, folder: Path, strict: bool, *, parallel: bool = True) -> None:
        import multiprocessing as mp

        self.folder, self.strict = folder, strict
        self._proc = None
        self._conn = None
        self._inline: tuple[list[Path], list[str], float] | None = None
        if (parallel and "fork" in mp.get_all_start_methods() and sys.platform != "darwin"
                and not mp.current_process().daemon):
            ctx = mp.get_context("fork")
            mine, theirs = ctx.Pipe(duplex=True)
            proc = ctx.Process(target=self._serve, args=(theirs, folder, strict), daemon=True)
            try:
                proc.start()
            except (OSError, AssertionError):
                mine.close()
                theirs.close()
                return
            theirs.close()
            self._proc, self._conn = proc, mine

    @staticmethod
    def _serve(conn: Any, folder: Path, strict: bool) -> None:
        import pickle

        try:
            import fundgap.report.figures  # noqa: F401 - warm the plotting libraries
        except Exception:  # noqa: BLE001 - reported when drawing
            pass
        try:
            specs = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            payload = (True, _draw_figures(specs, folder, strict))
        except BaseException as exc:  # noqa: BLE001 - raised in the parent
            import traceback

            payload = (False, (exc, traceback.format_exc()))
        try:
            conn.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as exc:  # noqa: BLE001
            conn.send_bytes(pickle.dumps((False, (RuntimeError(f"{type(exc).__name__}: {exc}"),
                                                  "")), protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            conn.close()

    def submit(self, specs: Mapping[str, Any]) -> None:
        import pickle

        if self._proc is not None:
            try:
                blob = pickle.dumps(dict(specs), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - unpicklable inputs: draw here instead
                self.close()
            else:
                self._conn.send_bytes(blob)
                return
        self._inline = _draw_figures(specs, self.folder, self.strict)

    def result(self) -> tuple[list[Path], list[str], float]:
        if self._inline is not None:
            return self._inline
        import pickle

        try:
            blob = self._conn.recv_bytes()
        except EOFError:
            self.close()
            raise RuntimeError("the fundgap figure process died") from None
        self.close()
        ok, value = pickle.loads(blob)
        if ok:
            return value
        exc, tb = value
        if isinstance(exc, BaseException):
            if tb:
                exc.add_note("in the fundgap figure process:\n" + tb)
            raise exc
        raise RuntimeError(str(exc))

    def close(self) -> None:
        """Stop the worker (it exits when its pipe closes)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            self._proc.join(timeout=5)
            if self._proc.is_alive():
                self._proc.terminate()
                self._proc.join()
            self._proc = None


class _Done:
    """An already computed result with the interface of :class:`_Child`."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


class _Child:
    """Run ``fn`` in a forked child process (or inline where fork is unavailable).

    ``result()`` returns ``fn()``'s value or raises its exception. The child is a
    fork, so ``fn`` may be a closure over this process's data; only the result
    travels back (pickled).
    """

    def __init__(self, fn: Callable[[], Any], *, parallel: bool = True) -> None:
        import multiprocessing as mp

        self._fn = fn
        self._proc = None
        self._conn = None
        if (parallel and "fork" in mp.get_all_start_methods() and sys.platform != "darwin"
                and not mp.current_process().daemon):
            ctx = mp.get_context("fork")
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=self._child, args=(fn, send), daemon=True)
            try:
                proc.start()
            except (OSError, AssertionError):  # no process to spare: run inline
                recv.close()
                send.close()
                return
            send.close()
            self._proc, self._conn = proc, recv

    @staticmethod
    def _child(fn: Callable[[], Any], send: Any) -> None:
        import pickle

        try:
            payload = (True, fn())
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
            import traceback

            payload = (False, (exc, traceback.format_exc()))
        try:
            send.send_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            send.send_bytes(pickle.dumps((False, (RuntimeError(
                f"{type(exc).__name__}: {exc}"), "")), protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            send.close()

    def result(self) -> Any:
        if self._proc is None:
            return self._fn()
        import pickle

        try:
            blob = self._conn.recv_bytes()
        except EOFError:
            self._proc.join()
            raise RuntimeError(f"a fundgap worker process died (exit code {self._proc.exitcode})"
                               ) from None
        finally:
            self._conn.close()
        self._proc.join()
        ok, value = pickle.loads(blob)
        if ok:
            return value
        exc, tb = value
        if isinstance(exc, BaseException):
            if tb and not isinstance(exc, FundgapError):
                exc.add_note("in a fundgap worker process:\n" + tb)
            raise exc
        raise RuntimeError(str(exc))


def _version() -> str:
    import fundgap

    return fundgap.__version__


if __name__ == "__main__":  # pragma: no cover
    print(write_report(sys.argv[1] if len(sys.argv) > 1 else "fundgap-report").summary())
