"""The regional fund-size case from published typical fund sizes (EU vs US).

No fund-size *distribution* by region is shipped with fundgap (the CrunchBase 2013
funds have no manager country), but published *point values* of the typical fund
size are: the European Commission's average VC fund size of the EU and the US
(VentureEU launch, 2018, for 2017), median fund sizes from Dealroom (Europe) and
the NVCA yearbook (US), and a typical European life-science fund. This module turns
those published values, read by their code from the ``published_figures`` dataset
(never typed in), into the fund-size mechanism of the funding gap: the largest
round such a fund can lead (``max_position x F / lead_share``, see
:func:`~fundgap.models.capacity.lead_capacity`), how that moves when the capital
grows ``multiple``-fold through bigger funds or through more funds, and the share
of later-stage rounds of a given round list (by default the shipped CrunchBase 2013
US biotech rounds) such a fund could lead alone.

The values are points (an average, a median), not distributions, and the figures
differ in statistic, year and currency; each row carries its source, flag and a
comparability caveat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError
from fundgap.models._common import check_columns, check_frame
from fundgap.models.capacity import _check_params, lead_capacity
from fundgap.models.results import Result

__all__ = ["PUBLISHED_FUND_CASES", "FundCaseResult", "published_fund_case"]

#: The published typical fund sizes used, by their identity in ``published_figures``
#: (code, region_code, year) and the pair they belong to. The values themselves are
#: read from the dataset. Pairs: the Commission's average of the EU (of 28) and the US
#: (one source, one year: the most comparable pair); the medians of Europe (Dealroom,
#: 2022, EUR) and the US (NVCA / PitchBook, 2021, USD); a typical European
#: life-science fund (a blog's figure, no US counterpart).
PUBLISHED_FUND_CASES: tuple[dict[str, Any], ...] = (
    {"pair": "average (European Commission, 2017)", "code": 12, "region_code": "EU28",
     "year": 2017, "side": "EU"},
    {"pair": "average (European Commission, 2017)", "code": 12, "region_code": "US",
     "year": 2017, "side": "US"},
    {"pair": "median (Dealroom 2022 vs NVCA 2021)", "code": 14, "region_code": "EUROPE",
     "year": 2022, "side": "EU"},
    {"pair": "median (Dealroom 2022 vs NVCA 2021)", "code": 15, "region_code": "US",
     "year": 2021, "side": "US"},
    {"pair": "typical life-science fund (2024)", "code": 21, "region_code": "EUROPE",
     "year": 2024, "side": "EU"},
)

#: Levers compared: fund-size factor and fund-count factor as functions of the multiple m.
_LEVERS: tuple[tuple[str, float], ...] = (
    ("today", np.nan), ("bigger_funds", 1.0), ("more_funds", 0.0), ("mix", 0.5))

_CURRENCY_OF_UNIT = {"EUR m": "EUR", "USD m": "USD"}


class FundCaseResult(Result):
    """Result of :func:`published_fund_case`.

    One row per published fund size x lever (``today``, ``bigger_funds``,
    ``more_funds``, ``mix``). Columns: ``pair``, ``side`` (EU / US), ``code``,
    ``metric``, ``statistic`` (average / median / typical), ``region``,
    ``region_code``, ``year``, ``published_value``, ``published_unit``,
    ``eur_per_unit`` (ECB annual average rate of the year, 1 for EUR),
    ``fund_size_eur`` (EUR million, prices of ``year``), ``lever``, ``multiple``,
    ``fund_size_factor``, ``fund_count_factor``, ``fund_size_eur_after``,
    ``largest_lead_round_eur`` (EUR million, prices of ``year``),
    ``largest_lead_round_eur_const`` (EUR million at ``meta["price_base"]`` prices,
    HICP), ``share_rounds_leadable``, ``share_capital_leadable``, ``n_rounds``,
    ``source``, ``address``, ``flag``, ``caveat``.
    """

    kind = "fund_case"

    def _key_table(self) -> pd.DataFrame:
        """Largest round an EU and a US fund can lead, per published pair and lever."""
        out = self.side_by_side("largest_lead_round_eur_const").reset_index()
        out.columns = [str(c) for c in out.columns]
        return out

    def _header(self) -> list[tuple[str, str]]:
        return [*super()._header(),
                ("shows", "largest round one fund can lead, EUR m at "
                          f"{self.meta.get('price_base', '')} prices (HICP)"),
                ("caveats", str(self.meta.get("caveats", ""))[:77] + "...")]

    def side_by_side(self, column: str = "largest_lead_round_eur") -> pd.DataFrame:
        """Pair x lever table with the EU and US value of ``column`` side by side."""
        f = self._frame
        return f.pivot_table(index=["pair", "lever"], columns="side", values=column,
                             aggfunc="first", sort=False)


def _statistic(metric: str) -> str:
    m = metric.lower()
    for word in ("median", "average", "mean", "typical"):
        if word in m:
            return "average" if word == "mean" else word
    return "point value"


def published_fund_case(
    published: pd.DataFrame,
    rounds: pd.DataFrame | None = None,
    *,
    cases: Sequence[Mapping[str, Any]] = PUBLISHED_FUND_CASES,
    multiple: float = 5.0,
    mix: float = 0.5,
    max_position: float = 0.15,
    lead_share: float = 0.5,
    reserve: float = 0.0,
    stage_group: str = "later",
    biotech_only: bool = True,
    price_base: int = 2024,
    rounds_label: str | None = None,
) -> FundCaseResult:
    """EU vs US: the largest round a typical fund can lead, today and after the capital grows.

    Parameters
    ----------
    published : DataFrame
        The ``published_figures`` table (columns code, metric, region, region_code,
        year, value, unit, source, address, flag), e.g.
        ``fundgap.load_dataset("published_figures")``.
    rounds : DataFrame, optional
        Canonical rounds (``amount_eur`` or ``amount_usd``, ``year``, ``stage_group``,
        optionally ``is_biotech``) whose ``stage_group`` rounds are tested: is the
        round no larger than what the fund can lead? Default none (no shares). In
        the report: the shipped CrunchBase 2013 US biotech rounds.
    cases : sequence of dict
        Which published figures to use: each names ``code``, ``region_code``,
        ``year``, a ``pair`` label and a ``side`` ("EU" / "US"). Default
        :data:`PUBLISHED_FUND_CASES`.
    multiple : float, default 5.0
        Growth of the region's fund capital (x5 in ten years). ``bigger_funds``
        multiplies the fund size by it, ``more_funds`` the number of funds (size
        unchanged), ``mix`` the size by ``multiple ** mix``.
    mix : float, default 0.5
        Share of the growth (in logs) going into fund size under the ``mix`` lever.
    max_position, lead_share, reserve : float
        As in :func:`~fundgap.models.capacity.capacity` (defaults 0.15, 0.5, 0):
        a fund of size F leads a round of at most
        ``max_position x (1 - reserve) x F / lead_share``.
    stage_group : str, default "later"
        Stage of the rounds tested.
    biotech_only : bool, default True
        Keep only rounds with ``is_biotech`` true (when the column exists).
    price_base : int, default 2024
        For the round test both sides are put in EUR at ``price_base`` prices:
        rounds' ``amount_eur`` (EUR at the ECB rate of the round's year, as the
        loaders fill it; the convention of :func:`~fundgap.models.depth`) deflated by
        the euro-area HICP, or, without ``amount_eur``, ``amount_usd`` deflated by the
        US CPI-U and converted at the ECB rate of ``price_base``; fund sizes (EUR of
        their year) deflated by the HICP. Rounds outside the deflators' coverage (before 2000) are
        left out and counted in ``meta``.
    rounds_label : str, optional
        What the rounds are, for ``meta`` (e.g. "CrunchBase 2013 US biotech rounds").

    Returns
    -------
    FundCaseResult

    Raises
    ------
    FundgapError
        A case not found (or found twice) in ``published``, a unit other than
        "EUR m" / "USD m", a USD figure with no ECB rate for its year, bad parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> pub = pd.DataFrame({"code": [1, 1], "metric": "Average VC fund size",
    ...     "region": ["EU", "US"], "region_code": ["EU27", "US"], "year": 2024,
    ...     "value": [56.0, 156.0], "unit": "EUR m", "source": "synthetic",
    ...     "address": None, "flag": None})
    >>> cases = [{"pair": "avg", "code": 1, "region_code": r, "year": 2024, "side": s}
    ...          for r, s in (("EU27", "EU"), ("US", "US"))]
    >>> r = published_fund_case(pub, cases=cases)
    >>> r.side_by_side().round(1)
    side          EU     US
    pair lever
    avg  today          16.8   46.8
         bigger_funds   84.0  234.0
         more_funds     16.8   46.8
         mix            37.6  104.6
    """
    check_frame(published, "published")
    check_columns(published, ["code", "region_code", "year", "value", "unit", "metric"],
                  "published")
    _check_params(max_position, lead_share, reserve)
    multiple, mix = _check_growth(multiple, mix)
    picked = _picked(published, cases)
    tested = None if rounds is None else _RoundTest.of(rounds, stage_group, biotech_only,
                                                       price_base)
    rule = {"max_position": max_position, "lead_share": lead_share, "reserve": reserve}
    rows = [row for case, pub in zip(cases, picked, strict=True)
            for row in _case_rows(case, pub, multiple, mix, rule, price_base, tested)]
    frame = pd.DataFrame(rows)
    for col in ("pair", "side", "metric", "statistic", "region", "region_code",
                "published_unit", "lever", "source", "address", "flag", "caveat"):
        frame[col] = frame[col].astype("string")
    meta = {
        "multiple": multiple, "mix": mix, **rule,
        "rule": "largest lead round = max_position x (1 - reserve) x F / lead_share",
        "price_base": str(price_base),
        "levers": "bigger_funds: size x multiple; more_funds: count x multiple, size "
                  f"unchanged; mix: size x multiple^{mix:g}, count x multiple^{1 - mix:g}",
        "caveats": "published point values (average / median), not distributions; "
                   "different statistics (an average exceeds the median of a skewed "
                   "distribution), years and geographies; USD figures converted at the ECB "
                   "annual average rate of their year",
    }
    if tested is not None:
        meta.update(tested.meta(rounds_label, stage_group, biotech_only))
    return FundCaseResult(frame, title="Published typical fund sizes: largest round a fund can "
                          "lead, EU vs US", meta=meta)


def _check_growth(multiple: Any, mix: Any) -> tuple[float, float]:
    """``multiple`` > 0 and ``mix`` in [0, 1], as floats."""
    for name, value, ok, expected in (
            ("multiple", multiple, lambda v: np.isfinite(v) and v > 0, "a positive number"),
            ("mix", mix, lambda v: 0.0 <= v <= 1.0, "a number in [0, 1]")):
        try:
            good = bool(ok(float(value)))
        except (TypeError, ValueError):
            good = False
        if not good:
            raise FundgapError(f"{name} must be {expected}", argument=name, value=value,
                               expected=expected)
    return float(multiple), float(mix)


def _picked(published: pd.DataFrame, cases: Sequence[Mapping[str, Any]]) -> list[pd.Series]:
    """The one published row of each case (code, region_code, year)."""
    code = pd.to_numeric(published["code"], errors="coerce").to_numpy()
    rcode = published["region_code"].astype("object").to_numpy()
    year = pd.to_numeric(published["year"], errors="coerce").to_numpy()
    picked = []
    for case in cases:
        hit = np.flatnonzero((code == case["code"]) & (rcode == case["region_code"])
                             & (year == case["year"]))
        if len(hit) != 1:
            raise FundgapError(
                "published fund-size case " + ("not found" if len(hit) == 0 else
                                               "found more than once") + " in published",
                argument="cases", value=(case["code"], case["region_code"], case["year"]),
                expected="one row of published per (code, region_code, year)")
        picked.append(published.iloc[int(hit[0])])
    return picked


@dataclass(frozen=True, eq=False)
class _RoundTest:
    """The rounds a fund's lead capacity is tested on: EUR million at ``price_base`` prices."""

    sizes: np.ndarray  # sorted
    cums: np.ndarray  # cumulative sums, 0 first
    n_dropped: int
    years: tuple[int, int]
    prices: str

    @classmethod
    def of(cls, rounds: pd.DataFrame, stage_group: str, biotech_only: bool,
           price_base: int) -> _RoundTest:
        from fundgap.normalise import convert_currency, deflate

        check_frame(rounds, "rounds")
        use_eur = "amount_eur" in rounds.columns and rounds["amount_eur"].notna().any()
        money = "amount_eur" if use_eur else "amount_usd"
        check_columns(rounds, [money, "year", "stage_group"], "rounds")
        keep = (rounds["stage_group"].astype("object") == stage_group).to_numpy().copy()
        if biotech_only and "is_biotech" in rounds.columns:
            keep &= rounds["is_biotech"].fillna(False).to_numpy(dtype=bool)
        amt = pd.to_numeric(rounds[money], errors="coerce").to_numpy(dtype="float64")[keep]
        yrs = pd.to_numeric(rounds["year"], errors="coerce").to_numpy(dtype="float64")[keep]
        ok = np.isfinite(amt) & (amt > 0) & np.isfinite(yrs)
        amt, yrs = amt[ok], yrs[ok]
        real = deflate(pd.Series(amt), pd.Series(yrs.astype("int64")),
                       currency="EUR" if use_eur else "USD",
                       base_year=price_base).to_numpy(dtype="float64")
        if use_eur:  # EUR at the ECB rate of the round's year (as loaded), deflated by the HICP
            fx = 1.0
            prices = f"amount_eur (EUR at the ECB rate of each round's year) deflated by the " \
                     f"euro-area HICP to {price_base} prices"
        else:  # USD deflated by the US CPI-U, then converted at the ECB rate of price_base
            fx = float(convert_currency(pd.Series([1.0]), "USD", pd.Series([price_base]),
                                        to="EUR").iloc[0])
            prices = f"USD deflated by the US CPI-U to {price_base}, converted to EUR at the " \
                     f"ECB {price_base} rate"
        covered = np.isfinite(real)
        sizes = np.sort(real[covered] * fx)
        if sizes.size == 0:
            raise FundgapError(f"no disclosed {stage_group} rounds to test", argument="rounds",
                               value=stage_group, expected=f"rounds of stage {stage_group} with "
                                                           "an amount and a year from 2000")
        return cls(sizes, np.concatenate([[0.0], np.cumsum(sizes)]), int((~covered).sum()),
                   (int(yrs[covered].min()), int(yrs[covered].max())), prices)

    def shares(self, lead: float) -> dict[str, float]:
        """Share of the rounds (and of their capital) a fund leading ``lead`` can lead."""
        idx = int(np.searchsorted(self.sizes, lead * (1 + 1e-12), side="right"))
        return {"share_rounds_leadable": idx / self.sizes.size,
                "share_capital_leadable": self.cums[idx] / self.cums[-1],
                "n_rounds": float(self.sizes.size)}

    def meta(self, label: str | None, stage_group: str, biotech_only: bool) -> dict[str, Any]:
        return {"rounds": label or f"{stage_group} rounds given",
                "rounds_stage_group": stage_group, "rounds_biotech_only": biotech_only,
                "rounds_n": int(self.sizes.size), "rounds_years": self.years,
                "rounds_left_out_no_deflator": self.n_dropped, "rounds_prices": self.prices,
                "rounds_median_eur_const": float(np.median(self.sizes))}


def _eur_rate(unit: str, year: int) -> float:
    """EUR per unit of a published fund size's currency in ``year`` (ECB annual average)."""
    from fundgap.normalise import convert_currency

    cur = _CURRENCY_OF_UNIT.get(unit)
    if cur is None:
        raise FundgapError("a published fund size must be in 'EUR m' or 'USD m'",
                           argument="published", value=unit, expected=list(_CURRENCY_OF_UNIT))
    rate = 1.0 if cur == "EUR" else float(
        convert_currency(pd.Series([1.0]), cur, pd.Series([year]), to="EUR").iloc[0])
    if not np.isfinite(rate):
        raise FundgapError("no ECB annual rate for the year of a published fund size",
                           argument="published", value=year,
                           expected="a year the ECB annual rates cover")
    return rate


def _case_rows(case: Mapping[str, Any], row: pd.Series, multiple: float, mix: float,
               rule: dict[str, float], price_base: int,
               tested: _RoundTest | None) -> list[dict[str, Any]]:
    """One published fund size under each lever: its size and the largest round it leads."""
    from fundgap.normalise import deflate

    unit, y, value = str(row["unit"]), int(row["year"]), float(row["value"])
    rate = _eur_rate(unit, y)
    size_eur = value * rate
    to_const = float(deflate(pd.Series([1.0]), pd.Series([y]), currency="EUR",
                             base_year=price_base).iloc[0])
    stat = _statistic(str(row["metric"]))
    rows = []
    for lever, lever_share in _LEVERS:
        if lever == "today":
            fs, fc, mult = 1.0, 1.0, 1.0
        else:
            share = mix if lever == "mix" else lever_share
            fs, fc, mult = multiple ** share, multiple ** (1.0 - share), multiple
        lead = float(lead_capacity(size_eur * fs, **rule))
        out = {
            "pair": case.get("pair", ""), "side": case.get("side", ""),
            "code": int(row["code"]), "metric": str(row["metric"]), "statistic": stat,
            "region": str(row.get("region", "")), "region_code": case["region_code"],
            "year": y, "published_value": value, "published_unit": unit,
            "eur_per_unit": rate, "fund_size_eur": size_eur, "lever": lever,
            "multiple": mult, "fund_size_factor": fs, "fund_count_factor": fc,
            "fund_size_eur_after": size_eur * fs, "largest_lead_round_eur": lead,
            "largest_lead_round_eur_const": lead * to_const,
            "share_rounds_leadable": np.nan, "share_capital_leadable": np.nan,
            "n_rounds": np.nan,
            **{k: None if pd.isna(row.get(k)) else str(row.get(k))
               for k in ("source", "address", "flag")},
            "caveat": _caveat(stat, unit, y, case["region_code"]),
        }
        if tested is not None:
            out.update(tested.shares(lead * to_const))
        rows.append(out)
    return rows


def _caveat(stat: str, unit: str, year: int, region_code: str) -> str:
    caveat = [f"published {stat} (a point value, not a distribution)"]
    if _CURRENCY_OF_UNIT.get(unit) != "EUR":
        caveat.append(f"USD converted at the ECB annual average rate of {year}")
    if region_code == "EU28":
        caveat.append("EU of 28 (with the UK), not EU-27")
    elif region_code == "EUROPE":
        caveat.append("all of Europe, not EU-27")
    return "; ".join(caveat)
