"""Small helpers shared by the models (argument checks, units, constant prices, places)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError, MissingColumnError

MEASURE_UNITS = {
    "amount_eur": "EUR_M",
    "amount_usd": "USD_M",
    "size_eur": "EUR_M",
    "size_usd": "USD_M",
}


_F = TypeVar("_F", bound=Callable[..., Any])


@contextlib.contextmanager
def one_blas_thread(*, with_scipy: bool = False) -> Iterator[None]:
    """Run numpy's (and, with ``with_scipy=True``, scipy's) BLAS on one thread inside the block.

    The models' matrices are small (a few thousand rows by at most a few hundred
    columns); BLAS threads buy nothing there and, where other processes share the
    cores, make each call wait for its threads: on the 2-core benchmark machine a
    comparison at 10^6 rounds took 2-5 s with two BLAS threads and 1.0 s with one.
    The limit (threadpoolctl) reaches the libraries loaded when the block starts,
    hence ``with_scipy=True`` loads scipy's first. The previous setting is restored on exit.

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     float(np.ones((3, 3)) @ np.ones(3) @ np.ones(3))
    9.0
    """
    if with_scipy:  # load scipy's BLAS, so that the limit reaches it
        import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def on_one_blas_thread(*, with_scipy: bool = False) -> Callable[[_F], _F]:
    """Decorator: the function runs inside :func:`one_blas_thread`."""

    def wrap(fn: _F) -> _F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with one_blas_thread(with_scipy=with_scipy):
                return fn(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


def check_frame(frame: Any, name: str) -> pd.DataFrame:
    """``frame`` itself when it is a DataFrame, else an error naming the argument."""
    if not isinstance(frame, pd.DataFrame):
        raise FundgapError(f"{name} must be a pandas DataFrame", argument=name,
                           value=type(frame).__name__, expected="a pandas DataFrame")
    return frame


def check_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Raise MissingColumnError naming the first of ``columns`` absent from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"{name} lacks column(s) {missing}", argument=name, column=missing[0],
            expected=list(frame.columns))


def check_column_argument(frame: pd.DataFrame, value: Any, argument: str, name: str,
                          allowed: Iterable[str] | None = None) -> None:
    """An argument naming a column of ``frame`` (``measure=``, ``size_col=``, ``by=``):
    absent, the error names the argument and lists the usable columns present
    (``allowed`` among them, else every column)."""
    if value in frame.columns:
        return
    usable = [c for c in (allowed or frame.columns) if c in frame.columns]
    raise MissingColumnError(f"{argument}: {name} has no column {value!r}", argument=argument,
                             value=value, expected=usable or list(frame.columns))


def check_choice(value: Any, allowed: Iterable[Any], name: str) -> None:
    """Raise naming the argument ``name`` unless ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise FundgapError(f"unknown {name}", argument=name, value=value, expected=allowed)


def check_ci(ci: Any) -> float:
    """The confidence level as a float strictly between 0 and 1."""
    try:
        level = float(ci)
    except (TypeError, ValueError):
        level = float("nan")
    if not 0 < level < 1:
        raise FundgapError("ci must be strictly between 0 and 1", argument="ci", value=ci,
                           expected="a number strictly between 0 and 1, such as 0.95")
    return level


def unit_of(frame: pd.DataFrame, measure: str) -> str:
    """Unit label of a money column: ``EUR_M``/``USD_M``, or ``<CUR>_M`` for ``amount``."""
    if measure in MEASURE_UNITS:
        return MEASURE_UNITS[measure]
    if measure in ("amount", "size") and "currency" in frame.columns:
        cur = frame["currency"].dropna().unique()
        if len(cur) == 1:
            return f"{cur[0]}_M"
        raise FundgapError(
            f"column {measure!r} mixes currencies {sorted(map(str, cur))[:10]}; use "
            "amount_eur/amount_usd (size_eur/size_usd) or filter to one currency",
            argument="measure", value=measure,
            expected=[c for c in MEASURE_UNITS if c in frame.columns])
    return "M"


def price_factor(years: Any, currency: str, price_base: int, deflator: Any = None,
                 argument: str = "price_base") -> np.ndarray:
    """Factor taking money of each year to ``price_base`` prices (NaN where no index).

    ``deflator``: a price index by year (Series, mapping, or frame with year and value);
    None uses :func:`fundgap.normalise.deflate` (US CPI-U for USD, euro-area HICP for
    EUR, 2000-2025).

    Examples
    --------
    >>> price_factor([2020, 2021], "EUR", 2021, {2020: 100.0, 2021: 110.0}).tolist()
    [1.1, 1.0]
    >>> price_factor([1990, 2024], "EUR", 2024).tolist()  # the HICP starts in 2000
    [nan, 1.0]
    """
    year = _years(years)
    if deflator is None:
        from fundgap.normalise import deflate

        # one factor per distinct year (a million rounds hold a few dozen years)
        distinct, where = np.unique(year, return_inverse=True)
        factor = np.asarray(deflate(pd.Series(np.ones(len(distinct))), pd.Series(distinct),
                                    currency=currency, base_year=int(price_base)),
                            dtype="float64")
        return factor[where.reshape(-1)]
    index = _price_index(deflator)
    if int(price_base) not in index.index:
        raise FundgapError("the deflator has no value for the price base year",
                           argument=argument, value=price_base,
                           expected=sorted(index.index.tolist()))
    present = pd.unique(year[~np.isnan(year)]).astype("int64")
    absent = sorted(set(present.tolist()) - set(index.index.tolist()))
    if absent:
        raise FundgapError("the deflator lacks years present in the data", argument="deflator",
                           value=absent[:10], expected=sorted(index.index.tolist()))
    return pd.Series(year).map(index.loc[int(price_base)] / index).to_numpy(dtype="float64")


def _years(years: Any) -> np.ndarray:
    """Years as floats (NaN where missing or not a number)."""
    if isinstance(years, pd.Series):
        return pd.to_numeric(years, errors="coerce").to_numpy("float64", na_value=np.nan)
    return pd.to_numeric(pd.Series(np.asarray(years)), errors="coerce").to_numpy("float64")


def _price_index(deflator: Any) -> pd.Series:
    if isinstance(deflator, pd.DataFrame):
        check_columns(deflator, ["year", "value"], "deflator")
        index = pd.Series(deflator["value"].to_numpy(dtype="float64"),
                          index=pd.to_numeric(deflator["year"]).astype("int64").to_numpy())
    elif isinstance(deflator, Mapping):
        index = pd.Series(dict(deflator), dtype="float64")
    else:
        index = pd.Series(deflator, dtype="float64")
    index.index = index.index.astype("int64")
    return index


def labels_or(values: pd.Series, missing: str) -> pd.Series:
    """Object-dtype labels with missing values replaced by ``missing``."""
    out = values.astype("object")
    return out.where(out.notna(), missing)


def biotech_subset(rounds: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The biotech rounds when the data flag them, else all rounds; and a note saying which.

    Examples
    --------
    >>> r = pd.DataFrame({"is_biotech": [True, False, True]})
    >>> biotech_subset(r)[1]
    'biotech rounds only (2 of 3)'
    """
    if "is_biotech" in rounds.columns:
        flag = rounds["is_biotech"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if flag.any():
            if flag.all():
                return rounds, "all rounds are biotech"
            return rounds[flag], f"biotech rounds only ({int(flag.sum()):,} of {len(rounds):,})"
    return rounds, "no biotech flag in the data: all rounds used"


# ----------------------------------------------------------------------------- places


def _listed(values: Any) -> list[str]:
    """Distinct non-missing labels, as sorted text (categories: only those in use)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        used = np.unique(values.cat.codes.to_numpy())
        return sorted(str(values.cat.categories[i]) for i in used if i >= 0)
    return sorted({str(v) for v in pd.unique(values.dropna())})


def place_error(argument: str, value: Any, frame: pd.DataFrame, groups: Any,
                why: str | None = None) -> FundgapError:
    """The error for a region argument that names no usable place, listing what is usable."""
    from fundgap.normalise.groups import EXCL_PREFIX, _suggest

    regions = _listed(frame["region"]) if "region" in frame.columns else []
    countries = _listed(frame["country"]) if "country" in frame.columns else []
    hint = _suggest(value) if isinstance(value, str) else ""
    text = why or (f"{argument} must be a region with rows in the data, a group of groups= or "
                   "an ISO 3166 alpha-2 country code with rows in the data")
    return FundgapError(
        f"{text}{hint}. Regions in the data: {regions}; groups: {list(groups)}; country codes "
        f"in the data: {countries}; the rest of the EU-27 without a group or country: "
        f"'{EXCL_PREFIX}<name>'", argument=argument, value=value)


def with_places(frame: pd.DataFrame, groups: Any, places: dict[str, Any], *,
                every_group: bool = False, gdp: Any = "shipped", strict: bool = True
                ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The pre-step of every model taking regions: check them, add groups' and countries' rows.

    Parameters
    ----------
    frame : DataFrame
        The model's canonical input (series, rounds or funds).
    groups : mapping or None
        The model's ``groups=`` argument (see :func:`fundgap.normalise.resolve_groups`).
    places : dict
        Argument name -> its value: one place (``base="US"``, ``against="BE"``) or a
        sequence of places (``regions=[...]``) or None. A single place must have rows
        in the data; in a sequence, a known place without rows is left out (as before).
    every_group : bool, default False
        Also add every group (the models whose regions default to "all present").
    gdp
        GDP table of the groups' ``PCT_GDP`` rows (series only).
    strict : bool, default True
        False: places without rows are no error (a secondary frame, e.g. the rounds
        beside the funds of :func:`~fundgap.models.capacity`).

    Returns
    -------
    (DataFrame, dict)
        The frame with the places' rows appended (the same object when there is
        nothing to add) and the places' description for the result's ``meta``.

    Raises
    ------
    FundgapError
        An unknown place or a single place without rows: the message lists the regions
        and country codes in the data and the groups.
    """
    from fundgap.normalise.groups import resolve_groups
    from fundgap.normalise.places import place_frame

    g = resolve_groups(groups)
    regions = set(_listed(frame["region"])) if "region" in frame.columns else set()
    countries: set[str] | None = None  # read only when a place needs it (a long rounds frame)
    wanted: list[str] = list(g) if every_group else []
    for arg, value in places.items():
        single = isinstance(value, str)
        for v in [value] if single else list(value or ()):
            if v in regions:
                continue
            if countries is None and strict:
                countries = set(_listed(frame["country"])) if "country" in frame.columns else set()
            if _check_place_arg(arg, v, single, frame, g, countries if strict else None):
                wanted.append(v)
    if not wanted:
        return frame, {}
    out, info = place_frame(frame, wanted, g, gdp=gdp)
    kept = places.get("regions")
    if kept is not None:  # overlaps only with the places the model keeps
        kept = {kept} if isinstance(kept, str) else set(kept)
        for d in info.values():
            d["also_in_regions"] = [r for r in d["also_in_regions"] if r in kept]
    return out, info


def _check_place_arg(arg: str, v: Any, single: bool, frame: pd.DataFrame, g: Any,
                     countries: set[str] | None) -> bool:
    """Raise for an unknown place, or one without rows (a single place, or a country or
    group in a list; not checked when ``countries`` is None); True when the place's rows
    must be added (not a built-in region)."""
    kind = g.kind(v)
    if kind is None:
        raise place_error(arg, v, frame, g)
    if countries is not None and (single or kind != "region") and not (
            kind != "region" and set(g.members(v)) & countries):
        raise place_error(arg, v, frame, g, why=f"{arg}: {v!r} has no rows in the data")
    return kind != "region"


def funds_with_places(funds: pd.DataFrame, rounds: pd.DataFrame | None, groups: Any,
                      round_sizes: pd.DataFrame | None, region_col: str | None
                      ) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, Any]]:
    """Pre-step of :func:`~fundgap.models.capacity`: every group, and the places named in
    ``round_sizes["region"]``, added to the funds (which must have them) and the rounds."""
    named: list[str] = []
    if round_sizes is not None and "region" in getattr(round_sizes, "columns", ()):
        named = list(dict.fromkeys(str(r) for r in round_sizes["region"].dropna()))
    if groups is None and not named:
        return funds, rounds, {}
    if region_col != "region":
        raise FundgapError("groups= and places in round_sizes need region_col='region'",
                           argument="region_col", value=region_col, expected=["region"])
    check_frame(funds, "funds")
    funds, info = with_places(funds, groups, {"round_sizes region": named}, every_group=True)
    if rounds is not None:
        check_frame(rounds, "rounds")
        rounds, _ = with_places(rounds, groups, {"round_sizes region": named}, every_group=True,
                                strict=False)
    return funds, rounds, info


def rows_with_places(frame: pd.DataFrame, groups: Any, regions: Any, *,
                     by: Any = ("region",)) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Pre-step of :func:`~fundgap.models.depth`.

    Adds the rows of every group (or of the places in ``regions``) and, when
    ``regions`` is given, keeps only the rows of those places. Nothing changes when
    both are None. ``regions``/``groups`` need ``region`` among the ``by`` columns.
    """
    if groups is None and regions is None:
        return frame, {}
    if "region" not in tuple(by):
        raise FundgapError("regions= and groups= need 'region' among the by columns",
                           argument="by", value=tuple(by), expected="by columns with 'region'")
    out, info = with_places(frame, groups, {"regions": regions}, every_group=regions is None)
    if regions is not None:
        wanted = [regions] if isinstance(regions, str) else list(regions)
        out = out[out["region"].astype("object").isin(wanted).fillna(False).to_numpy(dtype=bool)]
    return out, info


def place_meta(meta: dict[str, Any], info: dict[str, Any], **where: Any) -> None:
    """Record the places used in a result's ``meta["places"]``, and under ``meta["notes"]``
    the years in which a place's rows miss members (rows matching ``where``: source,
    table, stage_group, unit ...) and the regions its members also count in."""
    from fundgap.normalise.places import describe_incomplete

    if not info:
        return
    meta["places"] = {p: {k: v for k, v in d.items() if k != "incomplete"}
                      for p, d in info.items()}
    notes = []
    for place, d in info.items():
        notes += [f"{place}: {line}" for line in describe_incomplete(d.get("incomplete", []),
                                                                     **where)]
        if d.get("also_in_regions"):
            notes.append(f"{place}: its members' rows also count in {d['also_in_regions']}")
    if notes:
        meta.setdefault("notes", [])
        meta["notes"] = list(meta["notes"]) + notes

