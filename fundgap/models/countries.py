"""Countries and groups of countries against reference places, by stage: the seeds' table.

:func:`country_comparison` answers "Belgium vs the US", "Belgium vs the EU-27", "the
coalition vs the US" and "the coalition vs the EU-27" on one source's aggregate
statistics (the shipped OECD table by default), stage by stage, in money and in
shares of GDP, for the latest year and as a mean of the latest five years. Each
pair is one :func:`~fundgap.models.gap` run; the members behind every figure and
the years with members missing come from the place rows of
:mod:`fundgap.normalise.groups`. It computes the table; rendering it as findings or
a workbook sheet belongs to :mod:`fundgap.findings` and :mod:`fundgap.report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._common import check_columns, check_frame, place_meta, with_places
from fundgap.models.gap import gap
from fundgap.models.results import Result

__all__ = ["COALITION", "DEFAULT_PAIRS", "CountryComparisonResult", "country_comparison"]

#: The "coalition of the willing" of issue 18: Belgium, the Netherlands and the Nordics.
COALITION: dict[str, tuple[str, ...]] = {"coalition": ("BE", "NL", "DK", "SE", "FI", "NO")}
#: The seeds' questions: (place, reference place).
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (
    ("BE", "US"), ("BE", "EU27"), ("coalition", "US"), ("coalition", "EU27"))
COLUMNS = [
    "source", "table", "measure", "sector", "region", "against", "stage_group", "unit",
    "statistic", "period", "year_first", "year_last", "n_years", "region_value",
    "against_value", "ratio", "ratio_low", "ratio_high", "ratio_of_means", "region_members", "region_n_members", "region_members_missing",
    "against_members", "against_n_members", "against_members_missing", "flag",
]


class CountryComparisonResult(Result):
    """Result of :func:`country_comparison`: one row per pair x stage x unit x statistic.

    Columns of :meth:`to_frame`: ``source``, ``table``, ``measure``, ``sector``,
    ``region`` (the place compared), ``against`` (the reference place),
    ``stage_group``, ``unit`` (of the two values), ``statistic`` (``latest`` or
    ``mean_<window>y``), ``period`` (``"2025"``, ``"2021-2025"``), ``year_first``,
    ``year_last``, ``n_years``, ``region_value`` and ``against_value`` (means over the
    period), ``ratio`` (region / against: the mean of the annual ratios),
    ``ratio_low`` / ``ratio_high`` (the lowest and highest annual ratio),
    ``ratio_of_means`` (region_value / against_value: for money the ratio of the
    sums), the members behind each side (``*_members`` present in
    every year of the period, ``*_n_members``, ``*_members_missing`` missing in any
    year) and ``flag`` (``""``; ``members_missing``; ``few_years`` when the period has
    fewer years than the window; ``not_available: <reason>``).
    """

    kind = "country_comparison"

    def _key_table(self) -> pd.DataFrame:
        """The latest year: each pair's ratio by stage, in money and as a share of GDP."""
        f = self._frame[self._frame["statistic"] == "latest"]
        out = f.pivot_table(index=["region", "against", "unit"], columns="stage_group",
                            values="ratio", aggfunc="first", sort=False, observed=True)
        out = out[[c for c in ("seed", "early", "later", "all") if c in out.columns]]
        out.columns = [f"{c} ratio" for c in out.columns]
        return out.reset_index()

    def wide(self, statistic: str = "latest", value: str = "ratio") -> pd.DataFrame:
        """Pairs as rows, (unit, stage) as columns, for one statistic."""
        f = self._frame[self._frame["statistic"] == statistic]
        return f.pivot_table(index=["region", "against"], columns=["unit", "stage_group"],
                             values=value, aggfunc="first", sort=False)


def _rows_used(ext: pd.DataFrame, places: list[str], kw: dict[str, Any]) -> pd.DataFrame:
    """The rows of the places and selection the pairs use (each gap() then runs on few rows)."""
    keep = ext["region"].astype("object").isin(places).fillna(False)
    for col, value in kw.items():
        if value is not None and col in ext.columns:
            keep &= (ext[col].astype("object") == value).fillna(False)
    return ext[keep.to_numpy(dtype=bool)]


def _with_per_person(ext: pd.DataFrame, series: pd.DataFrame, places: list[str],
                     groups: Any, population: pd.DataFrame, kw: dict[str, Any]) -> pd.DataFrame:
    """The rows used plus every place's money per person (one rule for all places)."""
    from fundgap.normalise.places import per_person_rows

    pp = per_person_rows(_rows_used(series, list(series["region"].dropna().unique()), kw),
                         places, groups, population=population)
    if not len(pp):
        return ext
    out = ext.assign(region=ext["region"].astype("object"))
    return pd.concat([out, pp.reindex(columns=out.columns)], ignore_index=True)


def _member_table(ext: pd.DataFrame) -> dict[tuple[str, str, str, int], tuple[set, set]]:
    """(place, stage, unit, year) -> (members present, members missing), from the rows."""
    from fundgap.normalise.regions import EU27_2020

    cols = {c: (ext[c].astype("object").tolist() if c in ext.columns else [None] * len(ext))
            for c in ("region", "stage_group", "unit", "year", "country", "members",
                      "members_missing")}
    out: dict[tuple[str, str, str, int], tuple[set, set]] = {}
    for reg, stg, unit, yr, ctry, mem, miss in zip(*cols.values(), strict=True):
        key = (str(reg), str(stg), str(unit), int(yr) if pd.notna(yr) else -1)
        if isinstance(mem, str) and mem:
            present = set(mem.split(","))
        elif isinstance(ctry, str):
            present = {ctry}
        else:
            present = set()
        if isinstance(miss, str) and miss:
            missing = set(miss.split(","))
        elif reg == "EU27" and present and not isinstance(ctry, str):
            missing = set(EU27_2020) - present  # the shipped EU-27 sums name their members only
        else:
            missing = set()
        if key not in out or not isinstance(ctry, str):  # an aggregate row wins
            out[key] = (present, missing)
    return out


def _members(table: dict, place: str, stage: str, unit: str, years: Sequence[int]
             ) -> tuple[str, int, str]:
    """Members present in every year, their number, and members missing in any year."""
    present: set[str] | None = None
    missing: set[str] = set()
    for y in years:
        mem, miss = table.get((place, stage, unit, int(y)), (set(), set()))
        present = set(mem) if present is None else present & mem
        missing |= miss
    present = present or set()
    return ",".join(sorted(present)), len(present), ",".join(sorted(missing))


def _pair_rows(ext: pd.DataFrame, table: dict, region: str, against: str, stage: str,
               unit: str, window: int, kw: dict[str, Any]) -> list[dict[str, Any]]:
    common = {"region": region, "against": against, "stage_group": stage, "unit": unit,
              "measure": kw["measure"], "sector": kw["sector"], "source": kw["source"]}
    try:
        res = gap(ext, base=against, against=region, stage_group=stage, unit=unit, **kw)
    except FundgapError as exc:
        return [{**common, "statistic": s, "flag": f"not_available: {exc.message}"}
                for s in ("latest", f"mean_{window}y")]
    f = res.to_frame()
    y = f[f["year"].notna()].pivot_table(index="year", columns="metric", values="estimate",
                                         aggfunc="first").sort_index()
    info = {"source": f["source"].iloc[0], "table": f["table"].iloc[0]}
    last = int(y.index.max())
    out = []
    for stat, years in (("latest", [last]),
                        (f"mean_{window}y", [int(v) for v in y.index[-window:]])):
        r_val = float(y.loc[years, "against_value"].mean())
        a_val = float(y.loc[years, "base_value"].mean())
        annual = y.loc[years, "ratio"].astype("float64")
        r_mem = _members(table, region, stage, unit, years)
        a_mem = _members(table, against, stage, unit, years)
        flags = []
        if r_mem[2] or a_mem[2]:
            flags.append("members_missing")
        if stat != "latest" and len(years) < window:
            flags.append("few_years")
        out.append({**common, **info, "statistic": stat,
                    "period": str(last) if len(years) == 1 else f"{min(years)}-{last}",
                    "year_first": min(years), "year_last": last, "n_years": len(years),
                    "region_value": r_val, "against_value": a_val,
                    "ratio": float(annual.mean()), "ratio_low": float(annual.min()),
                    "ratio_high": float(annual.max()),
                    "ratio_of_means": r_val / a_val if a_val else np.nan,
                    "region_members": r_mem[0], "region_n_members": r_mem[1],
                    "region_members_missing": r_mem[2], "against_members": a_mem[0],
                    "against_n_members": a_mem[1], "against_members_missing": a_mem[2],
                    "flag": ";".join(flags)})
    return out


def country_comparison(
    series: pd.DataFrame,
    *,
    groups: Mapping[str, Sequence[str]] | None = COALITION,
    pairs: Sequence[tuple[str, str]] = DEFAULT_PAIRS,
    stages: Sequence[str] = ("seed", "early", "later", "all"),
    units: Sequence[str] | None = None,
    window: int = 5,
    gdp: Any = "shipped",
    population: Any = None,
    source: str | None = None,
    table: str | None = None,
    measure: str = "vc_invested",
    sector: str = "all",
) -> CountryComparisonResult:
    """Countries and groups against reference places by stage: latest year and window mean.

    Parameters
    ----------
    series : DataFrame
        Canonical long series of one source (or pass ``source=``), with country rows,
        e.g. ``fundgap.load_dataset("oecd_vc")``.
    groups : mapping, default :data:`COALITION`
        Groups of countries (``{"coalition": ["BE", "NL", "DK", "SE", "FI", "NO"]}``).
    pairs : sequence of (place, reference), default :data:`DEFAULT_PAIRS`
        Belgium vs the US and vs the EU-27, the coalition vs the US and vs the EU-27.
        Places as in :func:`~fundgap.models.gap` (regions, ISO2 codes, groups,
        ``EU27_excl_<name>``).
    stages : sequence of str, default ("seed", "early", "later", "all")
    units : sequence of str, optional
        ``USD_M``: money (current USD millions); ``PCT_GDP``: share of GDP (a
        group's is its members' money over their GDP, never a sum of shares);
        ``USD_per_person``: USD per inhabitant, current prices (any place's is its
        members' money x 1e6 / their population). Default ``("USD_M", "PCT_GDP",
        "USD_per_person")``; without ``"USD_per_person"`` when ``population=False``.
    window : int, default 5
        Years of the mean: the ``window`` latest years both places report (the rule of
        the findings, METHODOLOGY.md section 7.3).
    gdp : "shipped", "oecd" or DataFrame, default "shipped"
        GDP of the groups' ``PCT_GDP`` rows (:func:`fundgap.normalise.sum_members`):
        "shipped" = World Bank (``gdp_usd``; it has no Norway, so a group with
        Norway is flagged ``members_missing``); "oecd" = the GDP implied by the OECD
        table itself (``gdp_oecd``, Norway included); or a frame (iso2, year, value).
        Countries and built-in regions keep the source's own ``PCT_GDP`` rows.
    population : None, "shipped", DataFrame or False, default None
        Persons by country and year (iso2, year, value). None or "shipped" = the
        shipped World Bank table ``population_wb`` (SP.POP.TOTL: the 27 EU members,
        Norway, the UK, the US, China, 2000-2025); a frame = your own table; False =
        no ``USD_per_person`` rows.
    source, table, measure, sector
        The rows used, as in :func:`~fundgap.models.gap`.

    Returns
    -------
    CountryComparisonResult
        Per pair, stage and unit: ``latest`` (the latest year both places report)
        and ``mean_<window>y`` (``ratio`` the mean of the annual ratios, with their
        range; ``ratio_of_means`` the ratio of the two means). A pair a source cannot
        answer (no rows for a stage) gets ``flag = "not_available: <reason>"``.

    Raises
    ------
    FundgapError
        Unknown places, invalid groups, several sources without ``source=``.

    Examples
    --------
    SYNTHETIC values:

    >>> import pandas as pd
    >>> s = pd.DataFrame({"source": "synthetic", "region": ["EU27", "EU27", "US"] * 2,
    ...     "country": ["BE", "NL", "US"] * 2, "sector": "all", "stage_group": "all",
    ...     "measure": "vc_invested", "year": [2024] * 3 + [2025] * 3,
    ...     "value": [1.0, 3.0, 40.0, 2.0, 6.0, 80.0], "unit": "USD_M"})
    >>> r = country_comparison(s, groups={"benelux": ["BE", "NL", "LU"]},
    ...                        pairs=[("benelux", "US")], stages=["all"], units=["USD_M"])
    >>> f = r.to_frame()
    >>> print(f[["statistic", "period", "region_value", "ratio", "region_members_missing",
    ...          "flag"]].to_string(index=False))
    statistic    period  region_value  ratio region_members_missing                      flag
       latest      2025           8.0    0.1                     LU           members_missing
      mean_5y 2024-2025           6.0    0.1                     LU members_missing;few_years
    """
    check_frame(series, "series")
    check_columns(series, ["region", "country", "stage_group", "unit", "year", "value"],
                  "series")
    pairs = _checked_pairs(pairs, window)
    args = {f"pairs[{i}][{j}]": p[j] for i, p in enumerate(pairs) for j in (0, 1)}
    ext, places = with_places(series, groups, args, gdp=gdp)
    kw = {"source": source, "table": table, "measure": measure, "sector": sector}
    ext = _rows_used(ext, list(args.values()), kw)
    if population is None:
        population = "shipped"
    if population is not False:
        ext = _with_per_person(ext, series, list(args.values()), groups, population, kw)
    if units is None:
        units = ("USD_M", "PCT_GDP") + (("USD_per_person",) if population is not False else ())
    members = _member_table(ext)
    rows = [r for region, against in pairs for stage in stages for unit in units
            for r in _pair_rows(ext, members, region, against, stage, unit, int(window), kw)]
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    for c in ("year_first", "year_last", "n_years", "region_n_members", "against_n_members"):
        out[c] = out[c].astype("Int64")
    meta = _meta(groups, pairs, window, gdp, population)
    place_meta(meta, places)
    sources = sorted({str(s) for s in out["source"].dropna()})
    title = (f"Countries and groups against reference places by stage "
             f"({', '.join(sources) or 'no source'}; {measure}, {sector})")
    return CountryComparisonResult(out, title=title, meta=meta)


def _checked_pairs(pairs: Sequence[tuple[str, str]], window: int) -> list[tuple[str, str]]:
    """The pairs as tuples, after checking them and the window (errors name the argument)."""
    if int(window) != window or window < 1:
        raise FundgapError("window must be a positive number of years", argument="window",
                           value=window, expected="an integer >= 1")
    out = [tuple(p) for p in pairs]
    if any(len(p) != 2 for p in out):  # a place and its reference
        raise FundgapError("pairs must be (place, reference place) tuples", argument="pairs",
                           value=out, expected="tuples such as ('BE', 'US')")
    return out


def _meta(groups: Any, pairs: list[tuple[str, str]], window: int, gdp: Any,
          population: Any) -> dict[str, Any]:
    """The settings a CountryComparisonResult records, and the rule of its statistics."""
    return {
        "groups": {k: list(v) for k, v in dict(groups or {}).items()},
        "pairs": [list(p) for p in pairs], "window": int(window),
        "gdp": gdp if isinstance(gdp, str) else "given",
        "population": (population if isinstance(population, str)
                       else None if population is False else "given"),
        "rule": ("latest = the latest year both places report; mean_<w>y = the "
                 f"{int(window)} latest such years: ratio = the mean of the annual ratios "
                 "region / against (ratio_low, ratio_high: their range), ratio_of_means = "
                 "mean(region) / mean(against), for money the ratio of the sums"),
    }
