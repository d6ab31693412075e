"""Sheets of published benchmarks, one question's findings, and rejected input rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from fundgap.report import labels
from fundgap.report.sections._common import Section, Unavailable

PUBLISHED = {"code": "Code", "metric": "Published figure", "region_code": "Region",
             "stage_group": "Stage group", "sector": "Sector", "window": "Window",
             "value": "Published value", "unit": "Unit", "source": "Publisher",
             "address": "Address", "fundgap_value": "fundgap's value",
             "fundgap_source": "fundgap's source", "relative_difference":
             "Relative difference, fundgap / published - 1 (%)", "verdict": "Verdict",
             "reason": "Reason"}


def section_published(f: Any, ctx: dict[str, Any]) -> Section:
    """Published figures beside fundgap's like-for-like statistic, with a verdict."""
    from fundgap.report.excel import Sheet, Table

    t = f.results.get("tables", {}).get("published_comparison")
    if t is None:
        raise Unavailable("no published figures")
    shown = t[[c for c in PUBLISHED if c in t.columns]].copy()
    shown["region_code"] = shown["region_code"].map(labels.region).astype("object")
    shown["stage_group"] = shown["stage_group"].map(labels.stage).astype("object")
    shown["verdict"] = shown["verdict"].astype(str).str.replace("_", " ")
    if "fundgap_source" in shown.columns:
        shown["fundgap_source"] = [None if labels.is_missing(s) else labels.source(s, tb)
                                   for s, tb in zip(t["fundgap_source"], t["fundgap_table"], strict=False)]
    for c in ("source", "metric", "reason"):
        shown[c] = shown[c].map(labels.plain).astype("object")
    counts = t["verdict"].astype(str).str.replace("_", " ").value_counts()
    na = dict.fromkeys(("fundgap_value", "fundgap_source", "relative_difference", "stage_group", "sector", "region_code"), "[z]")
    out = Section(tables={"published_benchmarks": t})
    out.add(Sheet("Published benchmarks", title="Published figures beside fundgap's, like for "
                  "like", notes=["like_for_like"],
                  lines=["Data: the shipped dataset published_figures (each row with its "
                         "publisher and address).",
                         "Verdicts: " + ", ".join(f"{k} {int(v)}" for k, v in counts.items())
                         + ". Values in the unit of their row; fundgap's value in the same unit."],
                  tables=[Table(shown, labels=PUBLISHED,
                                formats={"code": "count", "relative_difference": "ratio",
                                         "value": "#,##0.0##", "fundgap_value": "#,##0.0##"},
                                missing=na, links={"address": "url"},
                                wrap=["metric", "source", "address", "reason"])],
                  widths={"B": 30, "I": 24, "J": 30, "O": 40}),
            "published figures beside fundgap's, like for like, with a verdict")
    return out


def question_section(question: str, name: str, title: str) -> Callable[[Any, dict[str, Any]],
                                                                        Section]:
    """A section rendering the findings of one question (a key of ``fundgap.findings``).

    Parameters
    ----------
    question : str
        Key of the question (``"countries"``, ``"capacity"`` ...).
    name, title : str
        Sheet name and title.

    Returns
    -------
    callable
        ``section(findings, ctx)``: one sheet with the question's rows (as on the All
        findings sheet), or :class:`Unavailable` when the question has no row.
    """

    def section(f: Any, ctx: dict[str, Any]) -> Section:
        from fundgap.errors import FundgapError
        from fundgap.report.front import findings_sheet

        try:
            rows = f.select(question)
        except FundgapError as exc:  # a findings table without the question
            raise Unavailable(f"no findings for {question!r}: {exc}") from exc
        if not len(rows):
            raise Unavailable(f"no findings for this question in the data given ({question})")
        frame = rows.to_frame()
        out = Section(tables={f"findings_{question}": frame})
        q = str(frame["question"].iloc[0])
        out.add(findings_sheet(rows, name=name, title=title,
                               lines=[f"The findings that answer: {q}"]), q)
        return out

    section.__doc__ = f"The findings of the {question!r} question on one sheet."
    return section


#: fundgap's own columns of a rejects table, in words (the input's columns keep their names).
REJECT_COLUMNS = {"input": "Input", "source_row": "Row in the input file", "reason": "Reason",
                  "column": "Column", "value": "Value", "duplicate_of": "Duplicate of row"}


def section_rejects(f: Any, ctx: dict[str, Any]) -> Section:
    """Input rows that could not be used, with the reason."""
    from fundgap.report.excel import Sheet, Table

    frames = [rej.assign(input=kind).pipe(lambda d: d[["input", *[c for c in d.columns
                                                                   if c != "input"]]])
              for kind, rej in ctx.get("rejects", {}).items() if rej is not None and len(rej)]
    if not frames:
        raise Unavailable("no rows were rejected")
    rej = pd.concat(frames, ignore_index=True)
    out = Section(tables={"rejected_rows": rej})
    out.add(Sheet("Rejected rows", title="Input rows fundgap could not use, with the reason",
                  lines=["fundgap's columns (input, row, reason, column, value, duplicate of) "
                         "first, then the columns as in the input file."],
                  tables=[Table(rej, csv_name="tables/rejected_rows.csv",
                                labels={c: h for c, h in REJECT_COLUMNS.items() if c in rej},
                                missing=dict.fromkeys(rej, "[x]"))]),
            "input rows that could not be used, with the reason")
    return out
