"""The findings table: one row per headline, its columns, statuses and the Findings object.

A finding is one statement a reader can check: a plain sentence with its number,
the regions compared, stage, sector, year or window, the value with its unit and
interval, how many observations stand behind it, where it comes from (source,
table, data vintage), a status saying how far it can be trusted, and a caveat.

Statuses (:data:`STATUSES`):

``robust``
    holds by the rule stated in its row (for a comparison of aggregate statistics:
    the same direction in every year of the window; for a ranking: the same order
    in every year of the window; for a sample statistic: an interval that excludes
    "no difference");
``no_clear_difference``
    the rule does not hold (a near-tie, an interval that covers 1, a direction that
    flips within the window); the row names what ties;
``small_sample``
    fewer than ``min_n`` rounds behind a cell: listed, never a headline, never a
    ratio without its interval;
``not_available``
    the question cannot be answered from the data given; the row says which data
    would answer it;
``indicative``
    rests on assumptions or on published point values (a projection, a typical
    fund size) rather than on a statistical test.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from fundgap.errors import FundgapError

__all__ = ["COLUMNS", "QUESTIONS", "STATUSES", "Finding", "Findings"]

#: Allowed values of the ``status`` column.
STATUSES: tuple[str, ...] = ("robust", "no_clear_difference", "small_sample", "not_available",
                             "indicative")

#: Columns of :meth:`Findings.to_frame`, in order.
COLUMNS: tuple[str, ...] = (
    "id", "question", "statement", "region", "against", "stage_group", "sector", "year",
    "value", "unit", "ci_low", "ci_high", "n", "source", "table", "vintage", "status",
    "caveat", "headline_rank",
)

#: The questions the findings answer (key -> question as a reader would ask it).
QUESTIONS: dict[str, str] = {
    "totals": "How much venture capital do the EU-27, the US and China invest?",
    "ladder": "Where on the stage ladder is the EU-27's gap with the US widest?",
    "biotech": "How much biotech venture capital do Europe, the US and China raise?",
    "round_size": "How large are venture rounds in each region, stage by stage?",
    "capacity": "How large a round can a typical European fund lead, compared with a US fund?",
    "x5": "What does growing European capital fivefold in ten years do to the gap?",
    "published": "Does fundgap reproduce the published figures, like for like?",
    "countries": "How do single countries and groups of countries compare?",
}


@dataclass(frozen=True)
class Finding:
    """One row of the findings table (see :data:`COLUMNS`).

    ``question`` is a key of :data:`QUESTIONS`; ``headline_rank`` orders the
    candidates for :meth:`Findings.headline` (None: never a headline).

    Examples
    --------
    >>> f = Finding("x.y", "totals", "The EU-27 invests 7.2% of the US.", value=0.072,
    ...             unit="ratio", status="robust")
    >>> f.status
    'robust'
    """

    id: str
    question: str
    statement: str
    region: str = ""
    against: str = ""
    stage_group: str = "all"
    sector: str = "all"
    year: str = ""
    value: float = math.nan
    unit: str = ""
    ci_low: float = math.nan
    ci_high: float = math.nan
    n: int | None = None
    source: str = ""
    table: str = ""
    vintage: str = ""
    status: str = "robust"
    caveat: str = ""
    headline_rank: int | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise FundgapError("unknown finding status", argument="status", value=self.status,
                               expected=list(STATUSES))
        if self.question not in QUESTIONS:
            raise FundgapError("unknown finding question", argument="question",
                               value=self.question, expected=list(QUESTIONS))


def _frame(rows: Iterable[Finding]) -> pd.DataFrame:
    records = [asdict(r) for r in rows]
    names = [f.name for f in fields(Finding)]
    out = pd.DataFrame.from_records(records, columns=names)
    out["question"] = out["question"].map(QUESTIONS)
    for col in ("value", "ci_low", "ci_high"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    for col in ("n", "headline_rank"):
        out[col] = pd.array(pd.to_numeric(out[col], errors="coerce"), dtype="Int64")
    text = [c for c in COLUMNS if c not in ("value", "ci_low", "ci_high", "n", "headline_rank")]
    for col in text:
        out[col] = out[col].fillna("").astype("string")
    out["status"] = pd.Categorical(out["status"].astype(str), categories=list(STATUSES))
    return out[list(COLUMNS)]


class Findings:
    """The answer: every headline fundgap computes, one tidy row each.

    Returned by :func:`fundgap.findings`. The table (:meth:`to_frame`) is the one
    source of every rendering: the workbook's key findings, the terminal summary of
    ``fundgap report`` and the ``analyses/`` scripts.

    Parameters
    ----------
    rows : sequence of Finding or DataFrame
        The findings (a DataFrame must hold :data:`COLUMNS`).
    results : dict, optional
        The model and scenario results the findings were read from, by name
        (``"gap"``, ``"depth"``, ``"scenario"`` ...), for renderers and readers who
        want the full tables.
    meta : dict, optional
        What was run: inputs, options, data vintages.
    inputs : object, optional
        The canonical frames the findings were computed on (attributes ``rounds``,
        ``funds``, ``series``, ``published``).

    Examples
    --------
    >>> fs = Findings([Finding("a", "totals", "EU-27 VC was 7.2% of the US level in 2025.",
    ...                        region="EU27", against="US", year="2025", value=0.072,
    ...                        unit="ratio", source="OECD", headline_rank=1)])
    >>> fs.headline()["statement"].tolist()
    ['EU-27 VC was 7.2% of the US level in 2025.']
    >>> fs.to_frame().columns[:4].tolist()
    ['id', 'question', 'statement', 'region']
    """

    def __init__(self, rows: Sequence[Finding] | pd.DataFrame, *,
                 results: Mapping[str, Any] | None = None,
                 meta: Mapping[str, Any] | None = None, inputs: Any = None) -> None:
        if isinstance(rows, pd.DataFrame):
            missing = [c for c in COLUMNS if c not in rows.columns]
            if missing:
                raise FundgapError("a findings table lacks columns", argument="rows",
                                   value=missing, expected=list(COLUMNS))
            table = rows[list(COLUMNS)].reset_index(drop=True)
        else:
            table = _frame(rows)
        dup = table["id"][table["id"].duplicated()]
        if len(dup):
            raise FundgapError("finding ids must be unique", argument="rows",
                               value=dup.tolist()[:5], expected="one row per finding id")
        self._table = table
        self.results: dict[str, Any] = dict(results or {})
        self.meta: dict[str, Any] = dict(meta or {})
        self.inputs = inputs

    # ------------------------------------------------------------------ views
    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the whole findings table (columns :data:`COLUMNS`)."""
        return self._table.copy()

    def to_csv(self, path: Any) -> Any:
        """Write the findings table to a CSV file, safely and whole (see
        :func:`fundgap.report.write_table`). Returns the path."""
        from fundgap.report import write_table

        return write_table(self._table, path)

    def __len__(self) -> int:
        return len(self._table)

    def headline(self, k: int = 12) -> pd.DataFrame:
        """The ``k`` findings a reader needs first, in the order of ``headline_rank``.

        Only rows with a ``headline_rank`` are candidates, and a ``small_sample``
        row never is.

        Parameters
        ----------
        k : int, default 12
            Largest number of rows returned.

        Returns
        -------
        DataFrame
            The chosen rows of :meth:`to_frame`.
        """
        if int(k) < 1:
            raise FundgapError("k must be a positive integer", argument="k", value=k,
                               expected="an integer >= 1")
        t = self._table
        keep = t["headline_rank"].notna() & (t["status"].astype(str) != "small_sample")
        out = t[keep.to_numpy(dtype=bool)].sort_values("headline_rank", kind="stable")
        return out.head(int(k)).reset_index(drop=True)

    def get(self, finding_id: str) -> pd.Series:
        """One finding by its id."""
        hit = self._table[self._table["id"] == finding_id]
        if len(hit) != 1:
            raise FundgapError("no finding with this id", argument="finding_id",
                               value=finding_id, expected=self._table["id"].tolist()[:20])
        return hit.iloc[0]

    def select(self, *questions: str) -> Findings:
        """The findings answering the given questions (keys of :data:`QUESTIONS`).

        Examples
        --------
        >>> fs = Findings([Finding("a", "totals", "A."), Finding("b", "x5", "B.")])
        >>> fs.select("x5").to_frame()["id"].tolist()
        ['b']
        """
        unknown = [q for q in questions if q not in QUESTIONS]
        if unknown:
            raise FundgapError("unknown question", argument="questions", value=unknown,
                               expected=list(QUESTIONS))
        texts = [QUESTIONS[q] for q in questions]
        keep = self._table["question"].isin(texts).to_numpy(dtype=bool)
        return Findings(self._table[keep], results=self.results, meta=self.meta,
                        inputs=self.inputs)

    def to_text(self) -> str:
        """Every finding as one line, ``statement [status]``, in table order."""
        return "\n".join(f"- {s}" + ("" if st == "robust" else f" [{st.replace('_', ' ')}]")
                         for s, st in zip(self._table["statement"],
                                          self._table["status"].astype(str), strict=True))

    def to_lines(self, k: int = 12, width: int = 100) -> list[str]:
        """The headline as one short line each (``label  value  year  source  status``).

        For a terminal: at most ``k`` lines of at most ``width`` characters; the full
        sentence of each is in ``statement``.
        """
        out = []
        for i, row in enumerate(self.headline(k).itertuples(index=False), start=1):
            label = short_label(row)
            value = format_value(row.value, row.unit)
            if row.unit == "count" and pd.notna(row.n):
                value = f"{value} of {int(row.n)}"
            elif value == "-" and row.status == "no_clear_difference":
                value = "tie"
            status = "" if row.status == "robust" else row.status.replace("_", " ")
            src = "" if row.status == "not_available" else str(row.source)
            if src in ("OECD", "NCSES"):
                src = "OECD" if src == "OECD" else f"NCSES {row.table}"
            src = src.removeprefix("fundgap ").split(" on ")[0].split(" (")[0].split(", ")[0]
            src = src.replace("published_figures", "published figures")
            src = src.replace("; World Bank WDI SP.POP.TOTL", " + World Bank")
            if len(src) > 19:
                src = src[:18] + "\u2026"
            line = f"{i:>2}. {label:<37.37} {value:>8} {row.year!s:<9.9} {src:<19} {status}"
            out.append(line.rstrip()[:width])
        return out

    def status_counts(self) -> dict[str, int]:
        """How many findings have each status."""
        counts = self._table["status"].astype(str).value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def summary(self, k: int = 12) -> str:
        """A compact text summary: what was run, then the headline findings.

        A header block (inputs, options, statuses) and one numbered line per
        headline (at most ``k``); the whole table is :meth:`to_frame`.
        """
        lines = ["fundgap findings", "=" * 16]
        for key in ("data", "options"):
            val = self.meta.get(key)
            if isinstance(val, Mapping):
                for name, text in val.items():
                    lines.append(f"{name + ':':<10} {text}")
        counts = ", ".join(f"{v} {s}" for s, v in self.status_counts().items() if v)
        lines.append(f"{'findings:':<10} {len(self)} ({counts})")
        lines.append("-" * 16)
        for i, row in enumerate(self.headline(k).itertuples(index=False), start=1):
            mark = "" if row.status in ("robust",) else f" [{row.status.replace('_', ' ')}]"
            lines.append(f"{i:>2}. {row.statement}{mark}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{v} {s}" for s, v in self.status_counts().items() if v)
        return f"<Findings: {len(self)} rows ({counts})>"

    def _repr_html_(self) -> str:
        head = self.headline()
        items = "".join(f"<li>{html.escape(str(s))} <small>({html.escape(str(st))}; "
                        f"{html.escape(str(src))})</small></li>"
                        for s, st, src in zip(head["statement"], head["status"], head["source"],
                                              strict=True))
        return (f"<p><b>fundgap findings</b>: {len(self)} rows; headline:</p><ol>{items}</ol>")


def finite(value: Any) -> bool:
    """True for a finite number."""
    try:
        return bool(np.isfinite(float(value)))
    except (TypeError, ValueError):
        return False


_NAMES = {"EU27": "EU-27", "CN": "China", "EUROPE": "Europe", "EU28": "EU-28"}
_LABELS = {
    "ladder.eu27_us.widest": "Stage with the widest EU-27 gap",
    "ladder.eu27_us.narrowest": "Stage with the narrowest EU-27 gap",
    "capacity.eu_us.average": "Round an EU fund can lead / US fund",
    "capacity.eu_us.after_x5": "Same after x5 (bigger funds) / US today",
    "published.reproduced": "Published figures reproduced",
    "round_size.cn.not_available": "China by stage: not in the data",
}
_PATHS = {"us_flat": "US flat", "us_trend": "US on trend", "us_gdp": "US with GDP"}


def short_label(row: Any) -> str:
    """A finding in a few words, for a one-line display (see :meth:`Findings.to_lines`)."""
    fid = str(row.id)
    if fid in _LABELS:
        return _LABELS[fid]
    region = _NAMES.get(str(row.region), str(row.region))
    against = _NAMES.get(str(row.against), str(row.against))
    stage = "all stages" if row.stage_group in ("all", "") else str(row.stage_group)
    sector = "" if row.sector in ("all", "") else f" {str(row.sector).replace('_', ' ')}"
    pair = f"{region} / {against}" if against else region
    if fid.startswith("x5.") and fid.rsplit(".", maxsplit=1)[-1] in _PATHS:
        return f"x5: {pair} {stage}, {_PATHS[fid.rsplit('.', maxsplit=1)[-1]]}"
    if str(row.status) == "not_available":
        return f"{pair}{sector} {stage}: not in the data"
    measure = next((words for key, words in _MEASURES.items() if f".{key}." in fid), "")
    return f"{pair}{sector}{measure}, {stage}"


#: Words for a finding whose id names its measure (countries: money, per GDP, per person).
_MEASURES = {"usd_per_person": " per capita", "pct_gdp": " per GDP"}


def format_value(value: Any, unit: str) -> str:
    """A value as its unit reads (``0.072, 'ratio' -> '7.2%'``).

    Examples
    --------
    >>> format_value(0.0718, "ratio"), format_value(19.1, "EUR m (2024 prices)")
    ('7.2%', 'EUR 19.1m')
    >>> format_value(float("nan"), "ratio"), format_value(4.0, "count")
    ('-', '4')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "-"
    if not np.isfinite(v):
        return "-"
    u = str(unit)
    if u in _UNIT_FORMATS:
        return _UNIT_FORMATS[u](v)
    if u.startswith(("EUR", "USD")):
        return f"{u[:3]} {v:,.1f}m"
    return f"{v:,.3g}"


#: How a value of each unit reads.
_UNIT_FORMATS: dict[str, Callable[[float], str]] = {
    "ratio": lambda v: f"{100 * v:.1f}%",
    "relative difference": lambda v: f"{100 * v:+.1f}%",
    "growth per year": lambda v: f"{100 * v:+.1f}%/yr",
    "multiple": lambda v: f"{v:.1f}x",
    "count": lambda v: f"{v:.0f}",
    "year": lambda v: f"{v:.0f}",
}
