"""What the findings are computed on: the caller's canonical frames, or the shipped data.

``None`` means the shipped data: every shipped dataset of kind ``series`` (OECD,
NCSES ...), the CrunchBase 2013 US rounds and the CrunchBase 2013 funds. Each
input gets a label (what it is, in words) and each source table a vintage (when
its publisher's data were drawn), read from the dataset register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, cache
from typing import Any

import pandas as pd

from fundgap.errors import FundgapError

__all__ = ["Inputs", "resolve", "shipped_series", "vintage_of"]

SHIPPED_ROUNDS = "crunchbase2013_us_rounds"
SHIPPED_FUNDS = "crunchbase2013_funds"
PUBLISHED = "published_figures"

#: Publisher names by source code, for statements.
SOURCE_NAMES = {"oecd": "OECD", "ncses": "NCSES"}


@dataclass
class Inputs:
    """The resolved inputs: frames (or None), labels, whether each is shipped."""

    rounds: pd.DataFrame | None = None
    funds: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    published: pd.DataFrame | None = None
    labels: dict[str, str] = field(default_factory=dict)
    shipped: dict[str, bool] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _frame_of(value: Any, kind: str) -> pd.DataFrame:
    from fundgap.loaded import Loaded

    if isinstance(value, Loaded):
        return value.data
    if isinstance(value, pd.DataFrame):
        return value
    raise FundgapError(f"{kind} must be a canonical DataFrame, a Loaded or None (the shipped "
                       f"data); read files with fundgap.read_{kind}() first",
                       argument=kind, value=type(value).__name__,
                       expected=["DataFrame", "Loaded", None])


def _label_of(value: Any, kind: str) -> str:
    from fundgap.loaded import Loaded

    if isinstance(value, Loaded):
        from pathlib import Path

        name = Path(value.path).name if value.path else "frame"
        return f"{name} (source: {value.source})"
    return f"{kind} frame given by the caller"


@lru_cache(maxsize=1)
def _series_datasets() -> tuple[str, ...]:
    from fundgap.datasets import list_datasets

    reg = list_datasets()
    return tuple(reg.loc[reg["kind"].astype(str) == "series", "name"].astype(str))


def shipped_series() -> pd.DataFrame:
    """Every shipped series dataset in one canonical frame (sources kept apart).

    Examples
    --------
    >>> s = shipped_series()
    >>> sorted(set(s["source"].astype(str)))[:2]
    ['ncses', 'oecd']
    """
    from fundgap.datasets import load_dataset
    from fundgap.schema import conform

    frames = [load_dataset(name) for name in _series_datasets()]
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        raise FundgapError("no shipped series could be loaded")
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return conform(pd.concat([conform(f, "series") for f in frames], ignore_index=True),
                   "series")


def _shipped_label(names: str) -> str:
    from fundgap.datasets import list_datasets

    reg = list_datasets()
    titles = dict(zip(reg["name"].astype(str), reg["title"].astype(str), strict=True))
    parts = []
    for name in [n.strip() for n in names.split("+")]:
        title = titles.get(name, "")
        short = title.split(":")[0].split(" by ")[0].split(" (")[0]
        parts.append(f"{short} (shipped dataset {name})" if short else f"shipped dataset {name}")
    return " + ".join(parts)


def resolve(rounds: Any = None, funds: Any = None, series: Any = None,
            published: Any = None) -> Inputs:
    """Canonical frames for the findings; ``None`` loads the shipped data.

    Parameters
    ----------
    rounds, funds, series : DataFrame, Loaded or None
    published : DataFrame or None
        The published headline figures (default the shipped ``published_figures``).

    Returns
    -------
    Inputs
    """
    from fundgap.datasets import load_dataset

    out = Inputs()
    for kind, value, name in (("rounds", rounds, SHIPPED_ROUNDS),
                              ("funds", funds, SHIPPED_FUNDS)):
        if value is None:
            setattr(out, kind, load_dataset(name))
            out.labels[kind] = _shipped_label(name)
            out.shipped[kind] = True
        else:
            setattr(out, kind, _frame_of(value, kind))
            out.labels[kind] = _label_of(value, kind)
            out.shipped[kind] = False
    if series is None:
        out.series = shipped_series()
        out.labels["series"] = _shipped_label(" + ".join(_series_datasets()))
        out.shipped["series"] = True
    else:
        out.series = _frame_of(series, "series")
        out.labels["series"] = _label_of(series, "series")
        out.shipped["series"] = False
    out.published = load_dataset(PUBLISHED) if published is None else _frame_of(published,
                                                                                "published")
    return out


@cache
def _register_text(name: str) -> dict[str, str]:
    from fundgap.datasets import _register

    rec = _register().get(name)
    return {} if rec is None else {k: str(v) for k, v in rec.items()}


def vintage_of(source: str, table: str = "") -> str:
    """When the data behind ``source`` / ``table`` were drawn, from the dataset register.

    Examples
    --------
    >>> vintage_of("oecd")
    'OECD SDMX download of 2026-06-24'
    >>> vintage_of("ncses", "SINV-31")
    'PitchBook data accessed September 2023'
    """
    if source == "oecd":
        text = _register_text("oecd_vc").get("retrieved", "")
        return text.split(" (")[0] if text else ""
    if source == "ncses":
        for name in ("ncses_vc", "ncses_industry", "ncses_firms"):
            origin = _register_text(name).get("origin", "")
            m = re.search(re.escape(table) + r" \((?:modal id )?\d+; (?:PitchBook )?accessed ([^)]+)\)",
                          origin)
            if table and m:
                return f"PitchBook data accessed {m.group(1)}"
        return "NCSES transcription (see the dataset register)"
    if source in ("crunchbase2013", SHIPPED_ROUNDS):
        return "CrunchBase export of October 2013"
    if source == PUBLISHED:
        return "published figures as of their publication"
    return ""
