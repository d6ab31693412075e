"""What a section returns, and the small helpers the sections share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fundgap.report import labels

__all__ = ["Section", "Unavailable", "need", "ordered", "run_note"]


class Unavailable(Exception):
    """Raised inside a section when its input is not available; the report says why."""


@dataclass
class Section:
    """What one section adds to the report.

    Attributes
    ----------
    sheets : list of fundgap.report.excel.Sheet
    tables : dict
        Name -> tidy frame, written to ``tables/<name>.csv``.
    figures : dict
        Name -> (function, args): ``function(*args)`` draws the figure.
    contents : dict
        Sheet name -> what it shows (one line of the Contents sheet).
    """

    sheets: list[Any] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)

    def add(self, sheet: Any, what: str) -> None:
        """Add a sheet and its line in the contents."""
        self.sheets.append(sheet)
        self.contents[sheet.name] = what


def need(results: dict[str, Any], key: str, why: str) -> Any:
    """``results[key]``, or :class:`Unavailable` with ``why``."""
    value = results.get(key)
    if value is None:
        raise Unavailable(why)
    return value


def run_note(findings: Any, prefix: str) -> str:
    """The findings' run note that starts with ``prefix`` ('' if none)."""
    for note in findings.meta.get("notes", []):
        if str(note).startswith(prefix):
            return str(note)
    return ""


def ordered(values: Sequence[Any], order: Sequence[str]) -> list[str]:
    """Distinct values as strings, those in ``order`` first in that order, the rest sorted."""
    present = [str(v) for v in pd.unique(pd.Series(list(values), dtype="object").dropna())]
    head = [o for o in order if o in present]
    return head + sorted(v for v in present if v not in head)


REGION_ORDER = list(labels.REGIONS)
STAGE_ORDER = list(labels.STAGES)
