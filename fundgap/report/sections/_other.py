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


#: Rejected rows listed one by one on the Rejected rows sheet; beyond this the sheet counts them
#: by input, reason and column, and every row is in ``tables/rejected_rows.csv``.
REJECTS_LISTED = 1_000
REJECTS_CSV = "tables/rejected_rows.csv"


def _rejects_by_reason(rej: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows counted by input, reason and column, with the first rows of each."""
    keys = ["input", "reason", "column"]
    g = rej.groupby(keys, sort=False, dropna=False)
    out = g.size().rename("rows").reset_index()
    first = g["source_row"].apply(lambda s: ", ".join(str(v) for v in s.head(5)))
    out["first_rows"] = first.to_numpy()
    return out.sort_values(["input", "rows"], ascending=[True, False], kind="stable")


def section_rejects(f: Any, ctx: dict[str, Any]) -> Section:
    """Input rows that could not be used, with the reason.

    Up to :data:`REJECTS_LISTED` rows are listed on the sheet; more are counted there by
    input, reason and column (writing tens of thousands of rows into a workbook cell by
    cell takes longer than the whole analysis) and listed in ``tables/rejected_rows.csv``.
    """
    from fundgap.report.excel import Sheet, Table

    frames = [rej.assign(input=kind).pipe(lambda d: d[["input", *[c for c in d.columns
                                                                   if c != "input"]]])
              for kind, rej in ctx.get("rejects", {}).items() if rej is not None and len(rej)]
    if not frames:
        raise Unavailable("no rows were rejected")
    rej = pd.concat(frames, ignore_index=True)
    out = Section(tables={"rejected_rows": rej})
    if len(rej) <= REJECTS_LISTED:
        out.add(Sheet("Rejected rows", title="Input rows fundgap could not use, with the reason",
                      lines=["fundgap's columns (input, row, reason, column, value, duplicate "
                             "of) first, then the columns as in the input file."],
                      tables=[Table(rej, csv_name=REJECTS_CSV,
                                    labels={c: h for c, h in REJECT_COLUMNS.items() if c in rej},
                                    missing=dict.fromkeys(rej, "[x]"))]),
                "input rows that could not be used, with the reason")
        return out
    counts = _rejects_by_reason(rej)
    out.add(Sheet("Rejected rows", title="Input rows fundgap could not use, by reason",
                  lines=[f"{len(rej):,} input rows could not be used, more than this sheet lists "
                         f"({REJECTS_LISTED:,}): every one, with its cells as in the input file, "
                         f"is in {REJECTS_CSV} beside this workbook.",
                         "The table counts them by input, reason and column."],
                  tables=[Table(counts, labels={**REJECT_COLUMNS, "rows": "Rejected rows",
                                                "first_rows": "First rows in the input file"},
                                formats={"rows": "count"},
                                missing={"column": "[z]"})]),
            "input rows that could not be used, counted by reason (every row in "
            f"{REJECTS_CSV})")
    return out
