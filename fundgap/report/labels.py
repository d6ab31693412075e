"""Human labels for the codes in fundgap's tables: the one mapping the outputs share.

The models and the findings speak in codes (``EU27``, ``share_large``, ``USD_M``,
``DSD_VC@DF_VC_INV``); a reader of the workbook, a figure or a printed table
should not have to. Everything a renderer shows goes through this module:

* :func:`region`, :func:`stage`, :func:`source`, :func:`metric` turn a code into
  words (unknown codes come back with underscores replaced, never as raw codes);
* :func:`unit` spells a unit code out (``"USD_M"`` -> ``"USD million"``, with the
  price base for money) and :func:`number_format` gives the Excel number format
  that shows a value of that unit (ratios and shares as percentages, counts as
  whole numbers, years without separators, money with one decimal);
* :func:`header` builds a column header from a column code and a unit;
* :func:`plain` strips Markdown emphasis (``*title*``) from source texts.

Nothing here computes: these are renames.

Examples
--------
>>> region("EU27"), region("OTHER_EUROPE"), stage("series_d_plus")
('EU-27', 'Other Europe', 'Series D and later')
>>> unit("USD_M", "current"), number_format("ratio"), number_format("year")
('USD million, current prices', '0.0%', '0')
>>> header("n_disclosed"), plain("Invest Europe, *Activity 2020*")
('Rounds with a disclosed amount', 'Invest Europe, Activity 2020')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from fundgap.units import is_missing, unit_kind
from fundgap.units import describe_unit as unit

#: Unit kind -> Excel number format.
KIND_FORMATS: dict[str, str] = {
    "money": "#,##0.0", "ratio": "0.0%", "count": "#,##0", "year": "0",
    "multiple": "0.00", "decimal": "0.000", "text": "@",
}

#: Codes that must never reach a reader as a header (tests check the workbook against it).
CODE_NAMES: tuple[str, ...] = (
    "share_large", "share_unknown_stage", "p25", "p75", "p90", "n_disclosed", "n_rounds",
    "ci_low", "ci_high", "OTHER_EUROPE", "DSD_VC@DF_VC_INV", "USD_M", "EUR_M", "PCT_GDP",
    "stage_group", "headline_rank", "fundgap_value", "relative_difference",
)

#: Codes that statements carry in their text -> how a reader names them.
_CODES_IN_TEXT = {"OECD DSD_VC@DF_VC_INV": "OECD", "DSD_VC@DF_VC_INV": "OECD venture capital"}
_EMPHASIS = re.compile(r"(\*{1,2})(?=\S)(.+?)(?<=\S)\1")

__all__ = [
    "CODE_NAMES",
    "KIND_FORMATS",
    "fund_quantile",
    "header",
    "is_missing",
    "lever",
    "metric",
    "number_format",
    "plain",
    "region",
    "relabel",
    "source",
    "stage",
    "status",
    "unit",
    "unit_kind",
]

REGIONS: dict[str, str] = {
    "EU27": "EU-27", "EU28": "EU-28 (with the UK)", "UK": "United Kingdom",
    "OTHER_EUROPE": "Other Europe", "EUROPE": "Europe", "US": "United States",
    "CN": "China (incl. Hong Kong)", "HK": "Hong Kong", "ASIA": "Asia", "ROW": "Rest of the world",
    "WORLD": "World",
}

STAGES: dict[str, str] = {
    "all": "All stages", "seed": "Seed", "early": "Early", "later": "Later",
    "unknown": "Unknown stage", "non_vc": "Not venture capital", "pre_seed": "Pre-seed",
    "series_a": "Series A", "series_b": "Series B", "early_unspecified": "Early (series unknown)",
    "series_c": "Series C", "series_c_plus": "Series C or later",
    "series_d_plus": "Series D and later", "later_unspecified": "Later (series unknown)",
    "growth": "Growth", "venture_unknown": "Venture (stage unknown)",
    "private_equity": "Private equity", "ipo_public": "IPO or public", "grant": "Grant",
    "debt": "Debt", "other": "Other",
}

LEVERS: dict[str, str] = {"today": "Today", "bigger_funds": "Bigger funds",
                          "more_funds": "More funds", "mix": "Mix of both"}

STATUSES: dict[str, str] = {"robust": "robust", "no_clear_difference": "no clear difference",
                            "small_sample": "small sample", "not_available": "not available",
                            "indicative": "indicative"}

#: (source, table) -> how a reader names it; a source alone matches any table.
SOURCES: dict[tuple[str, str], str] = {
    ("oecd", "DSD_VC@DF_VC_INV"): "OECD", ("oecd", ""): "OECD",
    ("ncses", ""): "NCSES", ("published_figures", ""): "published figures",
}

METRICS: dict[str, str] = {
    "n_rounds": "Rounds", "n_disclosed": "Rounds with a disclosed amount",
    "total": "Total invested", "mean": "Mean round", "median": "Median round",
    "p25": "25th percentile round", "p75": "75th percentile round",
    "p90": "90th percentile round",
    "share_large": "Share of capital in rounds of 100 million or more",
    "share_unknown_stage": "Share of rounds in unknown stages",
    "ratio": "Ratio", "gap": "Gap", "base_value": "Comparator's value",
    "against_value": "Region's value", "cumulative_ratio": "Cumulative ratio",
    "size_ratio": "Round size ratio", "count_ratio": "Round count ratio",
    "fund_size": "Fund size", "max_lead_round": "Largest round it can lead",
    "n_funds": "Funds", "n_funds_can_lead": "Funds able to lead",
    "share_funds_can_lead": "Share of funds able to lead",
    "share_rounds_leadable": "Share of rounds it could lead",
    "share_capital_leadable": "Share of capital it could lead",
}

#: Column code -> header text (without the unit).
COLUMNS: dict[str, str] = {
    **METRICS,
    "id": "Finding ID", "question": "Question", "statement": "Finding", "region": "Region",
    "against": "Compared with", "base": "Compared with", "stage_group": "Stage group",
    "stage": "Stage", "sector": "Sector", "year": "Year", "period": "Period", "value": "Value",
    "unit": "Unit", "ci_low": "Lower bound", "ci_high": "Upper bound", "n": "Observations",
    "n_base": "Observations, comparator", "source": "Source", "table": "Table",
    "vintage": "Data vintage", "status": "Status", "caveat": "Caveat",
    "headline_rank": "Rank", "estimate": "Estimate", "metric": "Measure", "model": "Model",
    "log_ratio": "Log ratio", "se": "Standard error", "p_value": "p-value",
    "measure": "Measure", "price_base": "Price base", "quantile": "Fund quantile",
    "round_size": "Round size", "label": "Label", "scenario": "Scenario",
    "variable": "Variable", "t": "Years from start", "window": "Window",
    "statistic": "Statistic", "code": "Code", "verdict": "Verdict", "reason": "Reason",
    "fundgap_value": "fundgap's value", "relative_difference": "Relative difference",
    "input": "Input", "address": "Address", "flag": "Flag", "lever": "Lever",
    "side": "Side", "pair": "Comparison",
}

def _words(code: Any) -> str:
    return str(code).replace("_", " ")


def region(code: Any) -> str:
    """A region or country code in words (``"CN"`` -> ``"China (incl. Hong Kong)"``).

    Examples
    --------
    >>> region("CN"), region("BE"), region("EU27_excl_coalition")
    ('China (incl. Hong Kong)', 'Belgium', 'EU-27 without coalition')
    """
    if is_missing(code):
        return ""
    text = str(code)
    if text in REGIONS:
        return REGIONS[text]
    if "_excl_" in text:  # a region less a group: "EU27_excl_coalition"
        whole, part = text.split("_excl_", 1)
        return f"{region(whole)} without {region(part)}"
    if len(text) == 2 and text.isupper():
        import pycountry

        country = pycountry.countries.get(alpha_2=text)
        if country is not None:
            return str(getattr(country, "common_name", None) or country.name)
    return _words(text)


def stage(code: Any) -> str:
    """A stage or stage-group code in words (``"later"`` -> ``"Later"``)."""
    return "" if is_missing(code) else STAGES.get(str(code), _words(code))


def metric(code: Any) -> str:
    """A metric code in words (``"p90"`` -> ``"90th percentile round"``)."""
    return "" if is_missing(code) else METRICS.get(str(code), _words(code).capitalize())


def lever(code: Any) -> str:
    """A scenario lever in words (``"bigger_funds"`` -> ``"Bigger funds"``)."""
    return "" if is_missing(code) else LEVERS.get(str(code), _words(code).capitalize())


def status(code: Any) -> str:
    """A finding's status in words (``"no_clear_difference"`` -> ``"no clear difference"``)."""
    return "" if is_missing(code) else STATUSES.get(str(code), _words(code))


def fund_quantile(q: Any) -> str:
    """A fund-size quantile in words (0.5 -> ``"Median fund"``, 1 -> ``"Largest fund"``).

    Examples
    --------
    >>> fund_quantile(0.5), fund_quantile(0.9), fund_quantile(1.0)
    ('Median fund', '90th percentile fund', 'Largest fund')
    """
    if is_missing(q):
        return ""
    q = float(q)
    if q == 1.0:
        return "Largest fund"
    if q == 0.5:
        return "Median fund"
    return f"{round(100 * q)}th percentile fund"


def source(src: Any, table: Any = "") -> str:
    """A source (and table) as a reader names it.

    Examples
    --------
    >>> source("oecd", "DSD_VC@DF_VC_INV"), source("ncses", "SINV-31")
    ('OECD', 'NCSES table SINV-31')
    """
    s = "" if is_missing(src) else str(src)
    t = "" if is_missing(table) else str(table)
    if (s, t) in SOURCES:
        return SOURCES[(s, t)]
    name = SOURCES.get((s, ""), s.upper() if s.islower() and len(s) <= 6 else s)
    return f"{name} table {t}" if t else name


def number_format(code: Any) -> str | None:
    """The Excel number format for a value of unit ``code`` (None if unknown)."""
    return KIND_FORMATS.get(unit_kind(code))


def header(column: Any, unit_text: str | None = None) -> str:
    """A column header: the column in words, then ``, unit`` when one is given.

    Examples
    --------
    >>> header("median", "EUR million, 2024 prices")
    'Median round, EUR million, 2024 prices'
    """
    text = COLUMNS.get(str(column), _words(column))
    text = text[:1].upper() + text[1:] if text and text[0].islower() and text[:7] != "fundgap" \
        else text
    return f"{text}, {unit_text}" if unit_text else text


def relabel(frame: pd.DataFrame, columns: Iterable[str] = ("region", "against", "base"),
            stages: Iterable[str] = ("stage_group", "stage")) -> pd.DataFrame:
    """Replace region and stage codes in the given columns by words (values only)."""
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = out[c].map(region).astype("object")
    for c in stages:
        if c in out.columns:
            out[c] = out[c].map(stage).astype("object")
    return out


def plain(text: Any) -> Any:
    """Text without Markdown emphasis (``*x*``, ``**x**``) or dataflow codes; other values unchanged.

    Examples
    --------
    >>> plain("7.2% of the US's (OECD DSD_VC@DF_VC_INV).")
    "7.2% of the US's (OECD)."
    """
    if not isinstance(text, str):
        return text
    for code, words in _CODES_IN_TEXT.items():
        text = text.replace(code, words)
    return _EMPHASIS.sub(r"\2", text)


def meta_text(value: Any) -> str:
    """One run setting as a cell's text: lists joined, mappings as ``k=v``, tables by size.

    Examples
    --------
    >>> meta_text(["EU27", "US"]), meta_text({"coalition": "BE,NL"}), meta_text(2024)
    ('EU27, US', 'coalition=BE,NL', '2024')
    """
    if isinstance(value, (list, tuple)):
        return ", ".join(str(x) for x in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}={x}" for k, x in value.items())
    if isinstance(value, pd.DataFrame):
        return f"table of {len(value)} rows"
    return plain(str(value))
