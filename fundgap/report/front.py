"""The workbook's front and back matter: cover, contents, key findings, all findings, method.

Rendered from the findings table (:class:`~fundgap.findings.Findings`); the key
findings are its :meth:`~fundgap.findings.Findings.headline` rows, nothing more.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["CITATION_TEXT", "cover_sheets", "findings_table", "method_sheet"]

CITATION_TEXT = (
    "fundgap contributors ({year}). fundgap: measuring Europe's biotech funding gap "
    "(version {version}) [software]. See CITATION.cff. Cite the data sources listed on the "
    "'Method and sources' sheet as their licences ask.")

QUESTION = ("How deep is the pool of capital for biotech companies in Europe, stage by stage, "
            "compared with the US and China, and what would growing European capital fivefold "
            "in ten years do to the gap?")

PURPOSE = {
    "Key findings": "the answer in twelve lines, each with its source and status",
    "All findings": "every finding fundgap computes, with its rule, status and caveat",
    "Depth by stage": "round counts and sizes by region and stage, with intervals",
    "Regional comparison": "regression ratios of round size to the US by stage",
    "Gap over time": "the EU27-US gap in aggregate statistics, source by source",
    "Sources compared": "the same metric from each source side by side",
    "Fund capacity": "fund sizes and the largest rounds funds can lead",
    "Scenario": "x5 in 10 years: EU27/US ratio with the Monte Carlo fan",
    "Scenario (long)": "the scenario in the long format of scenario modellers",
    "Published benchmarks": "published figures beside fundgap's, like for like",
    "Method and sources": "definitions, assumptions and data provenance",
    "Rejected rows": "input rows that could not be used, with the reason",
}

#: Columns of the key findings sheet, as a reader sees them.
KEY_COLUMNS = {"statement": "Finding", "value": "Value", "unit": "Unit", "year": "Year or window",
               "source": "Source", "table": "Table", "status": "Status", "caveat": "Caveat"}


def findings_table(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """The chosen findings columns under reader's headers (values unchanged)."""
    out = frame[list(columns)].rename(columns=dict(columns))
    if "Status" in out:
        out["Status"] = out["Status"].astype(str).str.replace("_", " ")
    return out.reset_index(drop=True)


def cover_sheets(findings: Any, *, sections: Sequence[Any], sheet_names: Sequence[str],
                 version: str, vintages: Sequence[tuple[str, str]]) -> list[Any]:
    """Cover, contents, key findings and all findings."""
    from fundgap.report.excel import Sheet, Table

    today = _dt.date.today().isoformat()
    head = findings.headline()
    answer = head["statement"].iloc[0] if len(head) else "see the Key findings sheet"
    cover = Sheet("Cover", title="fundgap report: Europe's biotech funding gap", freeze=False,
                  lines=[("Question", QUESTION), ("Answer", answer),
                         ("Date", today), ("fundgap version", version), *vintages,
                         ("How to cite", CITATION_TEXT.format(year=today[:4], version=version)),
                         ("Contents", "see the 'Contents' sheet", "#'Contents'!A1")],
                  widths={"A": 24, "B": 110})
    rows = [{"sheet": n, "what it shows": PURPOSE.get(n, ""), "status": "ok"}
            for n in ["Key findings", "All findings", *sheet_names, "Method and sources"]]
    for st in sections:
        if st.status != "ok" and st.key != "rejects":
            rows.append({"sheet": f"({st.title})", "what it shows": PURPOSE.get(st.title, ""),
                         "status": f"{st.status}: {st.detail}"})
    contents = Sheet("Contents", title="Contents", freeze=False,
                     lines=[(r["sheet"], r["what it shows"], f"#'{r['sheet']}'!A1")
                            for r in rows if not r["sheet"].startswith("(")],
                     tables=[Table(pd.DataFrame(rows), caption="Sections and their status")],
                     widths={"A": 26, "B": 70, "C": 60})
    key = Sheet("Key findings", title="Key findings",
                lines=[("Read", "each row is one finding from the 'All findings' sheet, with its "
                                "source and status; sources are never blended")],
                tables=[Table(findings_table(head, KEY_COLUMNS),
                              units={"Value": "unit as in the 'Unit' column"})],
                widths={"A": 90, "F": 30, "H": 60})
    full = findings.to_frame()
    every = Sheet("All findings", title="All findings",
                  lines=[("Statuses", "robust: holds by the rule in its caveat; no clear "
                                      "difference: the rule does not hold; small sample: fewer "
                                      "rounds than the minimum; not available: the data cannot "
                                      "answer; indicative: rests on assumptions or published "
                                      "point values")],
                  tables=[Table(full.drop(columns=["headline_rank"]),
                                units={"value": "unit as in the 'unit' column"})])
    return [cover, contents, key, every]


def method_sheet(*, lines: Sequence[tuple[str, str]], results: Mapping[str, Any],
                 datasets: pd.DataFrame | None, sections: Sequence[Any]) -> Any:
    """Method and sources: definitions, model options as run, datasets, sections."""
    from fundgap.report.excel import Sheet, Table

    base = [
        ("Method", "See METHODOLOGY.md in the fundgap repository for definitions and formulas."),
        ("Money", "amounts in millions; converted at the ECB annual average rate of the round's "
                  "year; constant prices where a header says so"),
        ("Regions", "EU27 is the fixed 2020 composition (no UK) in every year"),
        ("Stages", "seed / early / later groups as the OECD and Invest Europe use them; rows in "
                   "unknown stages are counted and reported"),
        ("Sources", "OECD and NCSES figures are never blended; each line, row or number names its "
                    "source"),
        *lines]
    opts = [{"result": key, "option": str(k), "value": _meta_text(v)}
            for key, res in results.items() if hasattr(res, "meta")
            for k, v in (res.meta or {}).items()]
    tables = [Table(pd.DataFrame(opts, columns=["result", "option", "value"]),
                    caption="Options and assumptions of each model, as run")]
    if datasets is not None and len(datasets):
        tables.append(Table(datasets, caption="Shipped datasets: source and licence"))
    timing = pd.DataFrame([{"section": s.title, "status": s.status, "detail": s.detail,
                            "seconds": round(s.seconds, 2)} for s in sections])
    tables.append(Table(timing, caption="Sections of this report", units={"seconds": "s"}))
    return Sheet("Method and sources", title="Method and sources", lines=base, tables=tables,
                 freeze=False)


def _meta_text(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, Mapping):
        return "; ".join(f"{k}={x}" for k, x in v.items())
    if isinstance(v, pd.DataFrame):
        return f"table of {len(v)} rows"
    return str(v)
