"""The starting point of a scenario: capital by region x stage, fund sizes, round-size demand.

:class:`Baseline` is a small explicit container; :func:`make_baseline` builds one
from canonical frames (a series frame, a funds frame, a rounds frame) or from a
model result's ``.to_frame()``. Trend fits of the counterfactual regions
(log-linear OLS, the same estimates as statsmodels OLS) are computed here and cached on
the baseline.

Examples
--------
>>> import pandas as pd
>>> from fundgap.scenarios.baseline import Baseline
>>> b = Baseline(pd.DataFrame({"region": ["EU27", "US"], "stage_group": ["later", "later"],
...                            "value": [20.0, 100.0]}), start_year=2024, unit="USD_M")
>>> b.regions, b.stages
(['EU27', 'US'], ['later'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError
from fundgap.models._trend import LogLinearFit, log_linear
from fundgap.scenarios.places import with_places

__all__ = ["DEFAULT_TREND_YEARS", "Baseline", "TrendFit", "make_baseline", "published_fund_sizes"]

#: Default window of the counterfactual trend fits: the last 10 observed years. The
#: long OECD series (2006-) carry coverage breaks in their early years (US seed grows
#: from USD 0.2bn in 2006 to 22bn in 2025, largely through wider coverage), which a
#: fit on the whole history turns into implausible growth rates; ten years match the
#: ten-year horizon of the policy scenario. ``trend_years=None`` fits all history.
DEFAULT_TREND_YEARS: int = 10

#: The venture stage groups a scenario projects, in ladder order.
SCENARIO_STAGES: tuple[str, ...] = ("seed", "early", "later")
_SELECT_COLUMNS = ("source", "table", "sector", "measure", "metric", "variable", "unit",
                   "price_base")


@dataclass(frozen=True, eq=False)
class TrendFit:
    """A counterfactual region's log-linear trend ``log(value) = a + b * (year - start_year)``.

    The fit is :func:`fundgap.models._trend.log_linear` (closed-form OLS, the same
    numbers as statsmodels' OLS, which the tests check); ``pi`` holds the fitted
    line and its 95 % prediction interval (columns t, fit, low, high; in value
    units) for t = 0..horizon (t = 0 is the start year).
    """

    region: str
    stage_group: str
    fit: LogLinearFit
    pi: pd.DataFrame

    @property
    def params(self) -> np.ndarray:
        """(a, b): intercept at the start year and annual log growth."""
        return self.fit.params

    @property
    def cov(self) -> np.ndarray:
        """Covariance of (a, b)."""
        return self.fit.cov

    @property
    def sigma(self) -> float:
        """Residual standard deviation of the log values."""
        return self.fit.sigma

    @property
    def n(self) -> int:
        """Number of years fitted."""
        return self.fit.n

    @property
    def years(self) -> tuple[int, int]:
        """First and last year fitted."""
        return self.fit.years

    @property
    def growth(self) -> float:
        """Annual growth rate implied by the slope, ``exp(b) - 1``."""
        return self.fit.growth

    def growth_ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval of the annual growth rate (the slope's t interval)."""
        return self.fit.growth_ci(level)

    @cached_property
    def model(self) -> Any:
        """The statsmodels OLS results of the same fit (imported and fitted on first use)."""
        return self.fit.statsmodels()


@dataclass
class Baseline:
    """Everything a projection starts from, in one unit of money (millions).

    Parameters
    ----------
    capital : DataFrame
        Columns ``region``, ``stage_group``, ``value``: capital invested in the
        start year (e.g. VC invested, USD million). One row per region x stage.
    start_year : int, optional
        The calendar year of ``capital``; projections run from it.
    unit : str, default "USD_M"
        Unit of every money value (``capital``, ``history``, fund and round sizes).
    history : DataFrame, optional
        Columns ``region``, ``stage_group``, ``year``, ``value``: the past series the
        counterfactual trends are fitted on (years up to ``start_year``).
    fund_sizes : dict, optional
        Region -> 1-D array of fund sizes (same unit): the fund-size distribution.
    n_funds : dict, optional
        Region -> number of funds in the start year (default: the length of the
        region's ``fund_sizes``).
    round_sizes : dict, optional
        Stage group -> the round-size demand distribution of that stage: a 1-D array
        of round sizes (empirical) or a tuple ``("lognormal", mu, sigma)`` of the
        log-size mean and standard deviation.
    source : str, optional
        Where the numbers come from (reported in the results' metadata).
    notes : list of str
        Assumptions and choices made while building the baseline.
    """

    capital: pd.DataFrame
    start_year: int | None = None
    unit: str = "USD_M"
    history: pd.DataFrame | None = None
    fund_sizes: dict[str, Any] = field(default_factory=dict)
    n_funds: dict[str, float] = field(default_factory=dict)
    round_sizes: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    notes: list[str] = field(default_factory=list)
    _trends: dict[tuple[str, str, Any, int], TrendFit] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        cap = self.capital
        if not isinstance(cap, pd.DataFrame):
            raise FundgapError("Baseline.capital must be a DataFrame", value=type(cap).__name__)
        missing = [c for c in ("region", "stage_group", "value") if c not in cap.columns]
        if missing:
            raise MissingColumnError(f"Baseline.capital lacks column(s) {missing}",
                                     expected=["region", "stage_group", "value"])
        cap = pd.DataFrame({
            "region": cap["region"].astype("object").astype(str).to_numpy(),
            "stage_group": cap["stage_group"].astype("object").astype(str).to_numpy(),
            "value": pd.to_numeric(cap["value"], errors="coerce").to_numpy(dtype="float64"),
        })
        bad = ~np.isfinite(cap["value"].to_numpy()) | (cap["value"].to_numpy() < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise FundgapError("capital values must be finite and non-negative", row=row + 1,
                               column="value", value=cap["value"].iloc[row])
        dup = cap.duplicated(["region", "stage_group"])
        if dup.any():
            row = int(np.flatnonzero(dup.to_numpy())[0])
            raise FundgapError("capital has more than one value for a region x stage", row=row + 1,
                               column="region", value=(cap["region"].iloc[row],
                                                       cap["stage_group"].iloc[row]))
        self.capital = cap
        regions = list(dict.fromkeys(cap["region"]))
        stages = _order_stages(cap["stage_group"].unique())
        full = pd.MultiIndex.from_product([regions, stages])
        have = pd.MultiIndex.from_frame(cap[["region", "stage_group"]])
        lacking = full.difference(have)
        if len(lacking):
            raise FundgapError("capital must give every region every stage",
                               column="stage_group", value=list(lacking)[:5])
        if self.history is not None:
            h = self.history
            miss = [c for c in ("region", "stage_group", "year", "value") if c not in h.columns]
            if miss:
                raise MissingColumnError(f"Baseline.history lacks column(s) {miss}")
            self.history = pd.DataFrame({
                "region": h["region"].astype("object").astype(str).to_numpy(),
                "stage_group": h["stage_group"].astype("object").astype(str).to_numpy(),
                "year": pd.to_numeric(h["year"], errors="coerce").to_numpy(dtype="float64"),
                "value": pd.to_numeric(h["value"], errors="coerce").to_numpy(dtype="float64"),
            })
        sizes = {}
        for reg, arr in dict(self.fund_sizes).items():
            a = np.asarray(arr, dtype="float64").ravel()
            a = a[np.isfinite(a) & (a > 0)]
            if a.size == 0:
                raise FundgapError("fund sizes must hold at least one positive size",
                                   column="fund_sizes", value=reg)
            sizes[str(reg)] = np.sort(a)
        self.fund_sizes = sizes
        rs = {}
        for stage, dist in dict(self.round_sizes).items():
            rs[str(stage)] = _check_round_dist(stage, dist)
        self.round_sizes = rs

    @property
    def regions(self) -> list[str]:
        """Regions in the order given."""
        return list(dict.fromkeys(self.capital["region"]))

    @property
    def stages(self) -> list[str]:
        """Stage groups, in ladder order."""
        return _order_stages(self.capital["stage_group"].unique())

    def matrix(self, regions: list[str]) -> np.ndarray:
        """Start-year capital as an array (len(regions), len(stages))."""
        piv = self.capital.pivot(index="region", columns="stage_group", values="value")
        return piv.loc[regions, self.stages].to_numpy(dtype="float64")

    def trend(self, region: str, stage: str, *, trend_years: Any = DEFAULT_TREND_YEARS,
              horizon: int = 10) -> TrendFit:
        """Fit (once, then cache) the log-linear trend of one region x stage.

        ``trend_years``: the last N observed years (default
        :data:`DEFAULT_TREND_YEARS` = 10), a ``(first, last)`` pair of years, or
        None for the whole history.

        Raises
        ------
        FundgapError
            No history, or fewer than three positive values to fit on.
        """
        key = (region, stage, trend_years if not isinstance(trend_years, list)
               else tuple(trend_years), horizon)
        if key in self._trends:
            return self._trends[key]
        fit = _fit_trend(self, region, stage, trend_years, horizon)
        self._trends[key] = fit
        return fit


def _order_stages(values: Any) -> list[str]:
    order = {s: i for i, s in enumerate(("all", *SCENARIO_STAGES, "unknown", "non_vc"))}
    return sorted((str(v) for v in values), key=lambda s: (order.get(s, 99), s))


def _check_round_dist(stage: Any, dist: Any) -> Any:
    if isinstance(dist, tuple) and len(dist) == 3 and dist[0] == "lognormal":
        mu, sigma = float(dist[1]), float(dist[2])
        if not (np.isfinite(mu) and np.isfinite(sigma) and sigma > 0):
            raise FundgapError("lognormal round sizes need finite mu and positive sigma",
                               column="round_sizes", value=(stage, dist))
        return ("lognormal", mu, sigma)
    a = np.asarray(dist, dtype="float64").ravel()
    a = a[np.isfinite(a) & (a > 0)]
    if a.size == 0:
        raise FundgapError("round sizes must hold at least one positive size",
                           column="round_sizes", value=stage)
    return np.sort(a)


def _fit_trend(b: Baseline, region: str, stage: str, trend_years: Any, horizon: int) -> TrendFit:
    if b.history is None:
        raise FundgapError(
            f"growth='trend' for {region} needs a baseline with history; pass a growth rate "
            "instead (e.g. us_growth=0.05)", column="history", value=None)
    h = b.history
    reg = h["region"].to_numpy(dtype=object)
    stg = h["stage_group"].to_numpy(dtype=object)
    yr = h["year"].to_numpy(dtype="float64")
    val = h["value"].to_numpy(dtype="float64")
    if stage == "all" and not (stg == "all").any():
        keep = (reg == region) & np.isin(stg, b.stages)
        sel = pd.DataFrame({"year": yr[keep], "value": val[keep]})
        sel = sel.groupby("year", as_index=False)["value"].sum(min_count=1)
    else:
        keep = (reg == region) & (stg == stage)
        sel = pd.DataFrame({"year": yr[keep], "value": val[keep]})
    if b.start_year is not None:
        sel = sel[sel["year"] <= b.start_year]
    if trend_years is not None:
        if np.isscalar(trend_years):
            last = sel["year"].max()
            sel = sel[sel["year"] > last - int(trend_years)]
        else:
            lo, hi = trend_years
            sel = sel[(sel["year"] >= lo) & (sel["year"] <= hi)]
    sel = sel[np.isfinite(sel["value"]) & (sel["value"] > 0)]
    if len(sel) < 3:
        raise FundgapError(
            f"too few positive historical values to fit a trend for {region} x {stage}",
            column="value", value=len(sel), expected=["at least 3 years"])
    origin = b.start_year if b.start_year is not None else float(sel["year"].max())
    if sel["year"].nunique() < 2:  # noqa: PLR2004
        raise FundgapError(f"a trend for {region} x {stage} needs at least two distinct years",
                           argument="trend_years", value=sorted(set(sel["year"])))
    fit = log_linear(sel["year"].to_numpy(dtype="float64"),
                     sel["value"].to_numpy(dtype="float64"), origin=origin)
    t = np.arange(0, horizon + 1)
    line, low, high = fit.interval(t)
    pi = pd.DataFrame({"t": t, "fit": line, "low": low, "high": high})
    return TrendFit(region=region, stage_group=stage, fit=fit, pi=pi)


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_frame"):
        return data.to_frame()
    raise FundgapError("baseline must be a DataFrame, a result with .to_frame() or a Baseline",
                       value=type(data).__name__)


def _select(frame: pd.DataFrame, select: dict[str, Any] | None, what: str) -> pd.DataFrame:
    select = dict(select or {})
    for col, val in select.items():
        if col not in frame.columns:
            raise MissingColumnError(f"{what}: cannot select on a column that is absent",
                                     column=col, expected=list(frame.columns))
        frame = frame[frame[col].astype("object") == val]
        if frame.empty:
            raise FundgapError(f"{what}: no rows left after selecting", column=col, value=val)
    for col in _SELECT_COLUMNS:
        if col in frame.columns and col not in select:
            vals = frame[col].dropna().astype("object").unique()
            if len(vals) > 1:
                raise FundgapError(
                    f"{what} mixes several values of {col!r}; fundgap never blends them: pick "
                    f"one with select={{{col!r}: ...}}", column=col,
                    value=sorted(map(str, vals))[:10])
    return frame


def _series_long(frame: pd.DataFrame, select: dict[str, Any] | None,
                 regions: tuple[str, ...] | None = None
                 ) -> tuple[pd.DataFrame, str | None, str | None]:
    """Reduce a series/result frame to region, stage_group, year, value (summing countries)."""
    f = frame
    if regions is not None and "region" in f.columns:
        f = f[f["region"].astype("object").isin(list(regions)).to_numpy()]
    if "value" not in f.columns:
        for alt in ("estimate", "total"):
            if alt in f.columns:
                f = f.rename(columns={alt: "value"})
                break
    missing = [c for c in ("region", "value") if c not in f.columns]
    if missing:
        raise MissingColumnError(f"baseline frame lacks column(s) {missing}",
                                 expected=["region", "stage_group", "year", "value"])
    select = dict(select or {})
    for col in ("metric", "variable"):  # a model result: its "total" is the capital invested
        if col in f.columns and col not in select and (f[col].astype("object") == "total").any():
            select[col] = "total"
    f = _select(f, select, "baseline frame")
    unit = None
    if "unit" in f.columns and f["unit"].notna().any():
        unit = str(f["unit"].dropna().iloc[0])
    source = None
    if "source" in f.columns and f["source"].notna().any():
        source = str(f["source"].dropna().iloc[0])
    out = pd.DataFrame({
        "region": f["region"].astype("object").to_numpy(),
        "stage_group": (f["stage_group"].astype("object").to_numpy() if "stage_group" in f.columns
                        else np.full(len(f), "all", dtype=object)),
        "year": (pd.to_numeric(f["year"], errors="coerce").to_numpy(dtype="float64")
                 if "year" in f.columns else np.full(len(f), np.nan)),
        "value": pd.to_numeric(f["value"], errors="coerce").to_numpy(dtype="float64"),
        "aggregate": (f["country"].isna().to_numpy() if "country" in f.columns
                      else np.ones(len(f), dtype=bool)),
    })
    out = out[out["region"].notna() & out["stage_group"].notna()]
    out["region"] = out["region"].astype(str)
    out["stage_group"] = out["stage_group"].astype(str)
    # per region: aggregate rows (country missing) where a source gives them, else sum countries
    has_agg = out.groupby("region")["aggregate"].transform("any")
    out = out[out["aggregate"] | ~has_agg]
    key = ["region", "stage_group", "year"]
    long = (out.groupby(key, as_index=False, dropna=False)["value"].sum(min_count=1))
    return long, unit, source


def _rounds_to_series(rounds: pd.DataFrame, unit: str | None) -> tuple[pd.DataFrame, str]:
    """Sum a canonical rounds frame's amounts per region x stage group x year."""
    if unit is None:
        unit = "USD_M" if ("amount_usd" in rounds.columns
                           and rounds["amount_usd"].notna().any()) else "EUR_M"
    col = {"USD_M": "amount_usd", "EUR_M": "amount_eur"}.get(unit)
    need = [c for c in (col, "region", "stage_group", "year") if c not in rounds.columns]
    if col is None or need:
        raise MissingColumnError("a rounds frame used as baseline lacks column(s)",
                                 column=str(need[0] if need else unit),
                                 expected=["amount_usd or amount_eur", "region", "stage_group",
                                           "year"])
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
                               "one source's rounds", column="source",
                               value=sorted(map(str, srcs))[:10])
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
        vals = dict(zip(g["metric"].astype("object"), g["estimate"].astype(float)))
        med, p90 = vals.get("median"), vals.get("p90")
        if med and p90 and med > 0 and p90 > med:
            sigma = float(np.log(p90 / med) / 1.2815515655446004)  # z of the 90th percentile
            out[s] = ("lognormal", float(np.log(med)), sigma)
    return out


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
        canonical rounds frame (capital = sum of ``amount_usd`` / ``amount_eur`` per
        region x stage group x year; the same rounds, all regions pooled, give the
        round-size demand unless ``rounds`` or ``demand_region`` say otherwise).
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
        Unit of money; default the frame's ``unit`` column, else "USD_M".
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
    if isinstance(data, Baseline):
        b = data
        if funds is None and rounds is None and fund_sizes is None and round_sizes is None:
            return b
        base_fs, base_rs = dict(b.fund_sizes), dict(b.round_sizes)
        cap, hist, unit, source, start_year = b.capital, b.history, b.unit, b.source, b.start_year
        notes = list(b.notes)
        n_funds = dict(b.n_funds)
    else:
        if data is None:
            raise FundgapError("make_baseline needs data (a series frame or a model result)")
        n_funds = {}
        notes = []
        frame = _as_frame(data)
        frame, notes = with_places(frame, regions, groups)  # countries, groups: their rows
        if "value" not in frame.columns and "estimate" not in frame.columns and (
                {"size", "size_usd", "size_eur"} & set(frame.columns)):
            raise FundgapError("a funds frame gives fund sizes, not capital: pass it as funds= "
                               "beside a capital series or model result", column="value",
                               expected=["value", "estimate"])
        if ("value" not in frame.columns and "estimate" not in frame.columns
                and {"amount_usd", "amount_eur"} & set(frame.columns)):
            # a canonical rounds frame: capital = the sum of round amounts per region x stage x year
            if rounds is None:
                rounds = frame
            frame, unit = _rounds_to_series(frame, unit)
            notes.append(f"capital = sum of disclosed round amounts ({unit}) per region x stage "
                         "x year; the latest year of an export may be incomplete: check "
                         "start_year")
        long, unit0, source = _series_long(frame, select, regions)
        unit = unit or unit0 or "USD_M"
        stages = set(long["stage_group"])
        if stages & set(SCENARIO_STAGES):
            long = long[long["stage_group"].isin(SCENARIO_STAGES)]
        elif "all" in stages:
            long = long[long["stage_group"] == "all"]
        else:
            raise FundgapError("baseline frame has none of the stage groups a scenario projects",
                               column="stage_group", value=sorted(stages),
                               expected=["all", *SCENARIO_STAGES])
        have_year = long["year"].notna().any()
        if have_year:
            long = long[long["year"].notna() & np.isfinite(long["value"])]
            cells = long.groupby("year").size()  # (region, stage, year) is unique after the sum
            need = long["region"].nunique() * long["stage_group"].nunique()
            complete = cells[cells >= need].index
            if start_year is None:
                if len(complete) == 0:
                    raise FundgapError("no year in which every region has every stage",
                                       column="year")
                start_year = int(max(complete))
            cap = long[long["year"] == start_year]
            if cap.empty:
                raise FundgapError("no data in the start year", column="year", value=start_year)
            hist = long[long["year"] <= start_year][["region", "stage_group", "year", "value"]]
        else:
            cap = long
            hist = None
        cap = cap[["region", "stage_group", "value"]]
        base_fs, base_rs = {}, {}
        if demand_region is not None and rounds is None and round_sizes is None:
            base_rs = _lognormal_demand(_as_frame(data), demand_region, demand_stages)
            if base_rs:
                notes.append(f"round-size demand of {sorted(base_rs)}: lognormal through the "
                             f"median and P90 of {demand_region}'s rounds in the result")
    if funds is not None:
        col = {"USD_M": "size_usd", "EUR_M": "size_eur"}.get(unit, "size")
        if col not in funds.columns or "region" not in funds.columns:
            raise MissingColumnError("funds frame lacks the size or region column",
                                     column=col, expected=[col, "region"])
        f = funds
        if "fund_type" in f.columns:
            ft = f["fund_type"].astype("object")
            f = f[ft.isna() | ft.isin(["vc", "growth"])]
        reg = f["region"].astype("object")
        sz = pd.to_numeric(f[col], errors="coerce")
        for r in reg.dropna().unique():
            vals = sz[(reg == r).to_numpy()].to_numpy(dtype="float64")
            vals = vals[np.isfinite(vals) & (vals > 0)]
            if vals.size:
                base_fs[str(r)] = vals
        notes.append(f"fund sizes from a funds frame, column {col}, VC and growth funds")
    if rounds is not None:
        col = {"USD_M": "amount_usd", "EUR_M": "amount_eur"}.get(unit, "amount")
        need = [c for c in (col, "stage_group", *(("region",) if demand_region else ()))
                if c not in rounds.columns]
        if need:
            raise MissingColumnError("rounds frame lacks column(s)", column=need[0],
                                     expected=[col, "stage_group"])
        r = rounds
        if demand_region is not None:
            r = r[r["region"].astype("object") == demand_region]
        if biotech_only and "is_biotech" in r.columns:
            r = r[r["is_biotech"].fillna(False).to_numpy(dtype=bool)]
        sg = r["stage_group"].astype("object")
        amt = pd.to_numeric(r[col], errors="coerce")
        for s in demand_stages:
            vals = amt[(sg == s).to_numpy()].to_numpy(dtype="float64")
            vals = vals[np.isfinite(vals) & (vals > 0)]
            if vals.size:
                base_rs[s] = vals
        notes.append(f"round-size demand of {list(demand_stages)} from a rounds frame "
                     f"({demand_region or 'all regions'}), column {col}")
    base_fs.update(fund_sizes or {})
    base_rs.update(round_sizes or {})
    out = Baseline(cap, start_year=start_year, unit=unit or "USD_M", history=hist,
                   fund_sizes=base_fs, n_funds=n_funds, round_sizes=base_rs, source=source,
                   notes=notes)
    if isinstance(data, Baseline):
        out._trends = data._trends  # same history and start year: the fitted trends still hold
    return out


#: Default selections of the shipped series datasets (one table, one measure).
_SHIPPED_SELECT: dict[str, dict[str, Any]] = {
    "oecd_vc": {"unit": "USD_M", "sector": "all"},
    "ncses_vc": {"table": "SINV-31", "measure": "vc_invested", "sector": "all"},
}


def shipped_baseline(dataset: str = "oecd_vc", *, select: dict[str, Any] | None = None,
                     start_year: int | None = None,
                     regions: tuple[str, ...] = ("EU27", "US", "CN"),
                     groups: dict[str, Any] | None = None) -> Baseline:
    """Build the baseline from fundgap's shipped data (see :func:`fundgap.datasets.load_dataset`).

    Capital by region x stage from ``dataset``: ``"oecd_vc"`` (default; the OECD
    VC market statistics give seed / early / later stages for EU-27 and the US,
    not China) or ``"ncses_vc"`` (NCSES table SINV-31 by default: EU-27, US and
    China, all stages together). Later-stage round-size demand from the
    CrunchBase 2013 US biotech rounds where that dataset is shipped.

    Raises
    ------
    FundgapError
        When the datasets are not available.
    """
    try:
        from fundgap.datasets import load_dataset
    except ImportError as exc:  # the datasets module is built in parallel
        raise FundgapError("baseline=None needs fundgap.datasets, which is not available; "
                           "pass a baseline frame") from exc
    try:
        series = load_dataset(dataset)
    except Exception as exc:
        raise FundgapError(f"cannot load the shipped dataset {dataset!r}: {exc}",
                           value=dataset) from exc
    frame = series
    sel = dict(_SHIPPED_SELECT.get(dataset, {}))
    sel.update(select or {})
    sel = {k: v for k, v in sel.items() if k in frame.columns}
    rounds = None
    notes = []
    try:
        rounds = load_dataset("crunchbase2013_us_rounds")
        notes.append("later-stage demand: CrunchBase Oct-2013 US biotech rounds (USD, "
                     "current prices of their years)")
    except Exception:  # optional
        rounds = None
    b = make_baseline(frame, rounds=rounds, select=sel, start_year=start_year,
                      regions=regions, biotech_only=True, groups=groups)
    b.notes.extend(notes)
    b.notes.append(f"capital from the shipped dataset {dataset!r}")
    if not b.fund_sizes:
        b.notes.append("no regional fund-size distribution is shipped (the CrunchBase 2013 funds "
                       "lack the manager's country): pass fund_sizes= or funds= for capacity "
                       "outputs")
    return b


def published_fund_sizes(published: pd.DataFrame, *, pair: str | None = None,
                         unit: str = "USD_M",
                         regions: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
    """Typical fund sizes by region from the published figures, as point "distributions".

    No regional fund-size distribution is shipped; this takes one published pair of
    typical fund sizes (default: the European Commission's 2017 average VC fund size of
    the EU and the US, the only pair from one source and one year; see
    :data:`fundgap.models.fundcase.PUBLISHED_FUND_CASES`) and returns
    ``{region: array([size])}`` for ``fund_sizes=`` of :func:`make_baseline` /
    :func:`~fundgap.scenarios.project`, converted to ``unit`` at the ECB annual
    average rate of the figure's year. With one value per region every fund-size
    quantile is that value, and the ``n_funds`` outputs become an index (1 = start).

    Parameters
    ----------
    published : DataFrame
        The ``published_figures`` table.
    pair : str, optional
        The ``pair`` label of the cases to use (default: the first pair).
    unit : {"USD_M", "EUR_M"}
    regions : dict, optional
        Case side -> scenario region (default ``{"EU": "EU27", "US": "US"}``).

    Returns
    -------
    (dict, str)
        The fund sizes and a note describing them (source, year, statistic, caveats).

    Examples
    --------
    >>> import pandas as pd
    >>> pub = pd.DataFrame({"code": 12, "metric": "Average VC fund size",
    ...     "region": ["EU", "US"], "region_code": ["EU28", "US"], "year": 2017,
    ...     "value": [56.0, 156.0], "unit": "EUR m", "source": "synthetic"})
    >>> sizes, note = published_fund_sizes(pub, unit="EUR_M")
    >>> {k: v.tolist() for k, v in sizes.items()}
    {'EU27': [56.0], 'US': [156.0]}
    """
    from fundgap.models.fundcase import PUBLISHED_FUND_CASES
    from fundgap.normalise import convert_currency

    if unit not in ("USD_M", "EUR_M"):
        raise FundgapError("published fund sizes can be given in USD_M or EUR_M", column="unit",
                           value=unit, expected=["USD_M", "EUR_M"])
    pair = pair or PUBLISHED_FUND_CASES[0]["pair"]
    cases = [c for c in PUBLISHED_FUND_CASES if c["pair"] == pair]
    if not cases:
        raise FundgapError("unknown published fund-size pair", column="pair", value=pair,
                           expected=sorted({c["pair"] for c in PUBLISHED_FUND_CASES}))
    regions = regions or {"EU": "EU27", "US": "US"}
    code = pd.to_numeric(published["code"], errors="coerce").to_numpy()
    rcode = published["region_code"].astype("object").to_numpy()
    year = pd.to_numeric(published["year"], errors="coerce").to_numpy()
    out, parts = {}, []
    for c in cases:
        hit = np.flatnonzero((code == c["code"]) & (rcode == c["region_code"])
                             & (year == c["year"]))
        if len(hit) != 1 or c["side"] not in regions:
            raise FundgapError("published fund-size case not found once in published",
                               column="code", value=(c["code"], c["region_code"], c["year"]))
        row = published.iloc[int(hit[0])]
        cur = {"EUR m": "EUR", "USD m": "USD"}.get(str(row["unit"]))
        if cur is None:
            raise FundgapError("a published fund size must be in 'EUR m' or 'USD m'",
                               column="unit", value=row["unit"])
        to = unit[:3]
        v = float(row["value"])
        if cur != to:
            v = float(convert_currency(pd.Series([v]), cur, pd.Series([int(row["year"])]),
                                       to=to).iloc[0])
        out[regions[c["side"]]] = np.array([v])
        parts.append(f"{regions[c['side']]}: {row['metric']} {row['region']} "
                     f"{float(row['value']):g} {row['unit']} ({int(row['year'])}) = {v:.1f} "
                     f"{unit} [{row.get('source', '')}]")
    note = ("fund sizes: published point values, not distributions (" + "; ".join(parts)
            + f"); converted at the ECB annual average rate of the figure's year, prices of that "
            "year; every fund-size quantile equals the point value and n_funds is an index "
            "(1 = start year)")
    return out, note
