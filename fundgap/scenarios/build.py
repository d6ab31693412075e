"""Build a scenario's :class:`~fundgap.scenarios.Baseline` from canonical frames or a result.

:func:`make_baseline` reads the capital (and its history, for the trends) from a
series frame, a model result's ``.to_frame()`` or a rounds frame, and adds the
fund-size distributions (a funds frame) and the round-size demand (a rounds frame,
or a lognormal through a depth result's median and P90). A frame that mixes
sources, tables, sectors, measures, units or price bases is refused until one is
selected: fundgap never blends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.scenarios.baseline import SCENARIO_STAGES, Baseline
from fundgap.scenarios.places import with_places

__all__ = ["make_baseline"]

_SELECT_COLUMNS = ("source", "table", "sector", "measure", "metric", "variable", "unit",
                   "price_base")
#: z of the 90th percentile of the standard normal.
_Z90 = 1.2815515655446004


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_frame"):
        return data.to_frame()
    raise FundgapError("a baseline is built from a DataFrame, a result with .to_frame() or a "
                       "Baseline", argument="data", value=type(data).__name__,
                       expected=["DataFrame", "a result with .to_frame()", "Baseline"])


def _select(frame: pd.DataFrame, select: dict[str, Any] | None, what: str) -> pd.DataFrame:
    select = dict(select or {})
    for col, val in select.items():
        frame_before = frame
        if col not in frame.columns:
            raise MissingColumnError(f"{what}: cannot select on a column that is absent",
                                     argument="select", value=col, expected=list(frame.columns))
        frame = frame[frame[col].astype("object") == val]
        if frame.empty:
            raise FundgapError(f"{what}: no rows left after selecting {col}={val!r}",
                               argument="select", value={col: val},
                               expected=sorted(map(str, frame_before[col].dropna().unique()))[:25])
    for col in _SELECT_COLUMNS:
        if col in frame.columns and col not in select:
            vals = frame[col].dropna().astype("object").unique()
            if len(vals) > 1:
                raise FundgapError(
                    f"{what} mixes several values of {col!r}; fundgap never blends them: pick "
                    f"one with select={{{col!r}: ...}}", argument="select", value=None,
                    expected=sorted(map(str, vals))[:10])
    return frame


def _series_long(frame: pd.DataFrame, select: dict[str, Any] | None,
                 regions: tuple[str, ...] | None = None
                 ) -> tuple[pd.DataFrame, str | None, str | None]:
    """Reduce a series/result frame to region, stage_group, year, value (summing countries)."""
    f = _with_value(frame if regions is None or "region" not in frame.columns else
                    frame[frame["region"].astype("object").isin(list(regions)).to_numpy()])
    select = dict(select or {})
    for col in ("metric", "variable"):  # a model result: its "total" is the capital invested
        if col in f.columns and col not in select and (f[col].astype("object") == "total").any():
            select[col] = "total"
    f = _select(f, select, "baseline frame")
    n = len(f)
    out = pd.DataFrame({
        "region": f["region"].astype("object").to_numpy(),
        "stage_group": _column(f, "stage_group", np.full(n, "all", dtype=object)),
        "year": (pd.to_numeric(f["year"], errors="coerce").to_numpy(dtype="float64")
                 if "year" in f.columns else np.full(n, np.nan)),
        "value": pd.to_numeric(f["value"], errors="coerce").to_numpy(dtype="float64"),
        "aggregate": (f["country"].isna().to_numpy() if "country" in f.columns
                      else np.ones(n, dtype=bool)),
    })
    out = out[out["region"].notna() & out["stage_group"].notna()]
    out["region"] = out["region"].astype(str)
    out["stage_group"] = out["stage_group"].astype(str)
    # per region: aggregate rows (country missing) where a source gives them, else sum countries
    has_agg = out.groupby("region")["aggregate"].transform("any")
    out = out[out["aggregate"] | ~has_agg]
    key = ["region", "stage_group", "year"]
    long = out.groupby(key, as_index=False, dropna=False)["value"].sum(min_count=1)
    return long, _first(f, "unit"), _first(f, "source")


def _with_value(f: pd.DataFrame) -> pd.DataFrame:
    """The frame with its money in ``value`` (a result's ``estimate`` or ``total``)."""
    if "value" not in f.columns:
        alt = next((c for c in ("estimate", "total") if c in f.columns), None)
        if alt is not None:
            f = f.rename(columns={alt: "value"})
    missing = [c for c in ("region", "value") if c not in f.columns]
    if missing:
        raise MissingColumnError(f"baseline frame lacks column(s) {missing}", argument="data",
                                 expected=["region", "stage_group", "year", "value"])
    return f


def _column(f: pd.DataFrame, col: str, default: np.ndarray) -> np.ndarray:
    return f[col].astype("object").to_numpy() if col in f.columns else default


def _first(f: pd.DataFrame, col: str) -> str | None:
    """The first non-missing value of ``col`` as text, or None."""
    if col in f.columns and f[col].notna().any():
        return str(f[col].dropna().iloc[0])
    return None


def _rounds_to_series(rounds: pd.DataFrame, unit: str | None) -> tuple[pd.DataFrame, str]:
    """Sum a canonical rounds frame's amounts per region x stage group x year."""
    if unit is None:  # the project's money: EUR, where the rounds have it
        unit = "EUR_M" if ("amount_eur" in rounds.columns
                           and rounds["amount_eur"].notna().any()) else "USD_M"
    col = {"USD_M": "amount_usd", "EUR_M": "amount_eur"}.get(unit)
    need = [c for c in (col, "region", "stage_group", "year") if c not in rounds.columns]
    if col is None or need:
        raise MissingColumnError("a rounds frame used as baseline lacks column(s)",
                                 column=str(need[0]) if need else None,
                                 argument=None if need else "unit", value=None if need else unit,
                                 expected=["amount_eur or amount_usd", "region", "stage_group",
                                           "year"] if need else ["EUR_M", "USD_M"])
    f = pd.DataFrame({
        "region": rounds["region"].astype("object").to_numpy(),
        "stage_group": rounds["stage_group"].astype("object").to_numpy(),
        "year": pd.to_numeric(rounds["year"], errors="coerce").to_numpy(dtype="float64"),
        "value": pd.to_numeric(rounds[col], errors="coerce").to_numpy(dtype="float64"),
    })
    f = f[f["region"].notna() & f["stage_group"].notna() & np.isfinite(f["year"])]
    out = f.groupby(["region", "stage_group", "year"])["value"].sum()
    # no round in a region x stage x year means no capital there: complete the grid with zeros
    full = pd.MultiIndex.from_product(
        [sorted(f["region"].unique()), sorted(f["stage_group"].unique()),
         sorted(f["year"].unique())], names=["region", "stage_group", "year"])
    out = out.reindex(full, fill_value=0.0).reset_index()
    out["unit"] = unit
    if "source" in rounds.columns and rounds["source"].notna().any():
        srcs = rounds["source"].dropna().astype("object").unique()
        if len(srcs) > 1:
            raise FundgapError("rounds from several sources; fundgap never blends them: pass "
                               "one source's rounds", argument="data",
                               value=sorted(map(str, srcs))[:10], expected="one source")
        out["source"] = str(srcs[0])
    return out, unit


def _lognormal_demand(frame: pd.DataFrame, region: str, stages: tuple[str, ...]) -> dict[str, Any]:
    """Lognormal round-size demand through a depth result's median and P90 (z = 1.28155)."""
    need = {"region", "stage_group", "metric", "estimate"}
    if not need <= set(frame.columns):
        return {}
    f = frame[frame["region"].astype("object") == region]
    out = {}
    for s in stages:
        g = f[f["stage_group"].astype("object") == s]
        vals = dict(zip(g["metric"].astype("object"), g["estimate"].astype(float), strict=True))
        med, p90 = vals.get("median"), vals.get("p90")
        if med and p90 and med > 0 and p90 > med:
            sigma = float(np.log(p90 / med) / _Z90)
            out[s] = ("lognormal", float(np.log(med)), sigma)
    return out


@dataclass
class _Parts:
    """What a baseline is assembled from (capital, history, distributions, provenance)."""

    capital: pd.DataFrame
    history: pd.DataFrame | None
    unit: str
    start_year: int | None
    source: str | None = None
    notes: list[str] = field(default_factory=list)
    n_funds: dict[str, float] = field(default_factory=dict)
    fund_sizes: dict[str, Any] = field(default_factory=dict)
    round_sizes: dict[str, Any] = field(default_factory=dict)
    rounds: pd.DataFrame | None = None  # a rounds frame given as data: also the demand


def make_baseline(
    data: Any = None,
    *,
    funds: pd.DataFrame | None = None,
    rounds: pd.DataFrame | None = None,
    fund_sizes: dict[str, Any] | None = None,
    round_sizes: dict[str, Any] | None = None,
    start_year: int | None = None,
    select: dict[str, Any] | None = None,
    unit: str | None = None,
    regions: tuple[str, ...] | None = None,
    demand_region: str | None = None,
    demand_stages: tuple[str, ...] = ("later",),
    biotech_only: bool = False,
    groups: dict[str, Any] | None = None,
) -> Baseline:
    """Build a :class:`Baseline` from canonical frames or a model result.

    Parameters
    ----------
    data : DataFrame, result or Baseline
        A long series frame (canonical series columns: region, stage_group, year,
        value, and optionally source, table, sector, measure, unit, country); a
        model result / frame with ``region``, ``stage_group`` and ``value`` (or
        ``estimate``; a result's ``metric == "total"`` rows are used); or a
        canonical rounds frame (capital = sum of ``amount_eur`` per region x stage group
        x year, or of ``amount_usd`` when the rounds have no euro amounts or ``unit``
        says so; current prices of each year; the same rounds, all regions pooled,
        give the round-size demand unless ``rounds`` or ``demand_region`` say
        otherwise).
        Country rows are summed to their region unless the source also gives the
        region's aggregate row (country missing), which then wins.
        Totals (stage ``all``) are dropped when seed/early/later are present.
    funds : DataFrame, optional
        A canonical funds frame: fund sizes by region (``size_usd`` or ``size_eur``
        according to ``unit``; VC and growth funds only).
    rounds : DataFrame, optional
        A canonical rounds frame: the round-size demand of ``demand_stages``, from
        ``demand_region`` (all regions if None).
    fund_sizes, round_sizes : dict, optional
        Explicit distributions (see :class:`Baseline`); they win over ``funds`` / ``rounds``.
    start_year : int, optional
        The baseline year (default: the latest year every region has every stage).
    select : dict, optional
        Column -> value filters, e.g. ``{"source": "oecd", "measure": "vc_invested"}``.
        A frame that mixes several sources, tables, sectors, measures, units or
        price bases is refused until one is selected.
    unit : str, optional
        Unit of money; default the frame's ``unit`` column (a rounds frame: "EUR_M"
        where it has ``amount_eur``), else "USD_M".
    regions : tuple of str, optional
        Keep only these places: regions, ISO2 country codes, groups of ``groups``,
        ``"EU27_excl_<name>"`` (built from the country rows; see the notes).
    demand_region : str, optional
        Whose rounds make the demand: filters ``rounds``; with a depth result (metrics
        ``median`` and ``p90`` per stage) and no ``rounds``, a lognormal through that
        region's median and P90 round of each of ``demand_stages``.
    demand_stages : tuple of str, default ("later",)
        Stage groups whose round-size demand is recorded.
    biotech_only : bool, default False
        Keep only biotech rounds (``is_biotech``) for the demand.
    groups : dict, optional
        Groups of countries (``{"coalition": ["BE", "NL"]}``); all added if no ``regions``.

    Returns
    -------
    Baseline

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"source": "synthetic", "region": ["EU27", "EU27", "US", "US"],
    ...                   "stage_group": "later", "year": [2023, 2024, 2023, 2024],
    ...                   "value": [18.0, 20.0, 90.0, 100.0], "unit": "USD_M"})
    >>> b = make_baseline(s)
    >>> b.start_year, b.matrix(["EU27", "US"]).ravel().tolist()
    (2024, [20.0, 100.0])
    """
    extra = (funds, rounds, fund_sizes, round_sizes)
    if isinstance(data, Baseline):
        if all(x is None for x in extra):
            return data
        parts = _Parts(data.capital, data.history, data.unit, data.start_year, data.source,
                       list(data.notes), dict(data.n_funds), dict(data.fund_sizes),
                       dict(data.round_sizes))
    elif data is None:
        raise FundgapError("make_baseline needs data (a series frame or a model result)",
                           argument="data", value=None,
                           expected=["DataFrame", "a result with .to_frame()", "Baseline"])
    else:
        parts = _from_frame(data, select=select, unit=unit, regions=regions, groups=groups,
                            start_year=start_year)
        if demand_region is not None and rounds is None and round_sizes is None:
            parts.round_sizes = _lognormal_demand(_as_frame(data), demand_region, demand_stages)
            if parts.round_sizes:
                parts.notes.append(f"round-size demand of {sorted(parts.round_sizes)}: lognormal "
                                   f"through the median and P90 of {demand_region}'s rounds in "
                                   "the result")
    if funds is not None:
        sizes, note = _fund_sizes_from(funds, parts.unit)
        parts.fund_sizes.update(sizes)
        parts.notes.append(note)
    demand = rounds if rounds is not None else parts.rounds
    if demand is not None:
        sizes, note = _round_sizes_from(demand, parts.unit, demand_region, demand_stages,
                                        biotech_only)
        parts.round_sizes.update(sizes)
        parts.notes.append(note)
    parts.fund_sizes.update(fund_sizes or {})
    parts.round_sizes.update(round_sizes or {})
    out = Baseline(parts.capital, start_year=parts.start_year, unit=parts.unit,
                   history=parts.history, fund_sizes=parts.fund_sizes, n_funds=parts.n_funds,
                   round_sizes=parts.round_sizes, source=parts.source, notes=parts.notes)
    if isinstance(data, Baseline):
        out._trends = data._trends  # same history and start year: the fitted trends still hold
    return out


def _from_frame(data: Any, *, select: dict[str, Any] | None, unit: str | None,
                regions: tuple[str, ...] | None, groups: Any, start_year: int | None) -> _Parts:
    """Capital and history from a series frame, a result's frame or a rounds frame."""
    frame = _as_frame(data)
    frame, notes = with_places(frame, regions, groups)  # countries, groups: their rows
    has_value = "value" in frame.columns or "estimate" in frame.columns
    if not has_value and {"size", "size_usd", "size_eur"} & set(frame.columns):
        raise FundgapError("a funds frame gives fund sizes, not capital: pass it as funds= "
                           "beside a capital series or model result", argument="data",
                           expected=["a frame with value or estimate", "a rounds frame"])
    rounds = None
    if not has_value and {"amount_usd", "amount_eur"} & set(frame.columns):
        # a canonical rounds frame: capital = the sum of round amounts per region x stage x year
        rounds = frame
        frame, unit = _rounds_to_series(frame, unit)
        notes.append(f"capital = sum of disclosed round amounts ({unit}) per region x stage "
                     "x year; the latest year of an export may be incomplete: check start_year")
    long, unit0, source = _series_long(frame, select, regions)
    long = _scenario_stages(long)
    capital, history, start_year = _capital_and_history(long, start_year)
    return _Parts(capital, history, unit or unit0 or "USD_M", start_year, source, notes,
                  rounds=rounds)


def _scenario_stages(long: pd.DataFrame) -> pd.DataFrame:
    """The seed / early / later rows, else the all-stage rows."""
    stages = set(long["stage_group"])
    if stages & set(SCENARIO_STAGES):
        return long[long["stage_group"].isin(SCENARIO_STAGES)]
    if "all" in stages:
        return long[long["stage_group"] == "all"]
    raise FundgapError("baseline frame has none of the stage groups a scenario projects",
                       argument="data", value=sorted(stages), expected=["all", *SCENARIO_STAGES])


def _capital_and_history(long: pd.DataFrame, start_year: int | None
                         ) -> tuple[pd.DataFrame, pd.DataFrame | None, int | None]:
    """The start year's capital (default: the latest year every region has every stage)
    and the history up to it."""
    if not long["year"].notna().any():
        return long[["region", "stage_group", "value"]], None, start_year
    long = long[long["year"].notna() & np.isfinite(long["value"])]
    cells = long.groupby("year").size()  # (region, stage, year) is unique after the sum
    need = long["region"].nunique() * long["stage_group"].nunique()
    complete = cells[cells >= need].index
    if start_year is None:
        if len(complete) == 0:
            raise FundgapError("no year in which every region has every stage",
                               argument="start_year", value=None,
                               expected=sorted(int(y) for y in cells.index))
        start_year = int(max(complete))
    cap = long[long["year"] == start_year]
    if cap.empty:
        raise FundgapError("no data in the start year", argument="start_year", value=start_year,
                           expected=sorted(int(y) for y in cells.index))
    hist = long[long["year"] <= start_year][["region", "stage_group", "year", "value"]]
    return cap[["region", "stage_group", "value"]], hist, start_year


def _fund_sizes_from(funds: pd.DataFrame, unit: str) -> tuple[dict[str, Any], str]:
    """Fund sizes by region from a canonical funds frame (VC and growth funds)."""
    col = {"USD_M": "size_usd", "EUR_M": "size_eur"}.get(unit, "size")
    if col not in funds.columns or "region" not in funds.columns:
        raise MissingColumnError("funds frame lacks the size or region column", argument="funds",
                                 column=col, expected=[col, "region"])
    f = funds
    if "fund_type" in f.columns:
        ft = f["fund_type"].astype("object")
        f = f[ft.isna() | ft.isin(["vc", "growth"])]
    reg = f["region"].astype("object")
    sz = pd.to_numeric(f[col], errors="coerce")
    out = {}
    for r in reg.dropna().unique():
        vals = sz[(reg == r).to_numpy()].to_numpy(dtype="float64")
        vals = vals[np.isfinite(vals) & (vals > 0)]
        if vals.size:
            out[str(r)] = vals
    return out, f"fund sizes from a funds frame, column {col}, VC and growth funds"


def _round_sizes_from(rounds: pd.DataFrame, unit: str, region: str | None,
                      stages: tuple[str, ...], biotech_only: bool) -> tuple[dict[str, Any], str]:
    """The round-size demand of ``stages`` from a canonical rounds frame."""
    col = {"USD_M": "amount_usd", "EUR_M": "amount_eur"}.get(unit, "amount")
    need = [c for c in (col, "stage_group", *(("region",) if region else ()))
            if c not in rounds.columns]
    if need:
        raise MissingColumnError("rounds frame lacks column(s)", argument="rounds",
                                 column=need[0], expected=[col, "stage_group"])
    r = rounds
    if region is not None:
        r = r[r["region"].astype("object") == region]
    if biotech_only and "is_biotech" in r.columns:
        r = r[r["is_biotech"].fillna(False).to_numpy(dtype=bool)]
    sg = r["stage_group"].astype("object")
    amt = pd.to_numeric(r[col], errors="coerce")
    out = {}
    for s in stages:
        vals = amt[(sg == s).to_numpy()].to_numpy(dtype="float64")
        vals = vals[np.isfinite(vals) & (vals > 0)]
        if vals.size:
            out[s] = vals
    return out, (f"round-size demand of {list(stages)} from a rounds frame "
                 f"({region or 'all regions'}), column {col}")
