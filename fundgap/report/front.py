"""The workbook's front and back matter: cover, contents, notes, key and all findings, options.

Rendered from the findings table (:class:`~fundgap.findings.Findings`); the key
findings are its :meth:`~fundgap.findings.Findings.headline` rows, nothing more.
Every function here selects, renames and formats; none computes.
"""

from __future__ import annotations

import contextlib

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from fundgap.report import labels

__all__ = ["CITATION_TEXT", "NOTES", "contents_sheet", "cover_sheet", "findings_sheet",
           "findings_table", "key_findings_sheet", "notes_catalog", "options_sheet",
           "sources_sheet"]

CITATION_TEXT = (
    "fundgap contributors ({year}). fundgap: measuring Europe's biotech funding gap "
    "(version {version}) [software]. See CITATION.cff. Cite the data sources listed on the "
    "'Data sources' sheet as their licences ask.")

QUESTION = ("How deep is the pool of capital for biotech companies in Europe, stage by stage, "
            "compared with the US and China, and what would growing European capital fivefold "
            "in ten years do to the gap?")

#: The notes tables refer to ([note N]); numbered in the order the workbook first uses them.
NOTES: dict[str, Any] = {
    "eu27": "EU-27 is the European Union of 27 members in its 2020 composition (without the UK) "
            "in every year. 'Europe' (NCSES) covers geographic Europe including the UK.",
    "china": "China includes Hong Kong where the source reports them together (NCSES tables "
             "built on PitchBook data).",
    "sources": "Sources are never blended. The OECD compiles fund-reported market statistics for "
               "European countries (Invest Europe) and deal data for the US (NVCA, PitchBook); "
               "NCSES builds on PitchBook deal data for every region. They differ several-fold for "
               "the EU-27, so each number names its source.",
    "oecd": ("OECD venture capital investments by country and stage (SDMX dataflow "
             "DSD_VC@DF_VC_INV), USD million at current prices; the EU-27 is the sum of the 25 "
             "members the OECD reports (no Cyprus, no Malta).",
             "https://sdmx.oecd.org/public/rest/data/OECD.SDD.TPS,DSD_VC@DF_VC_INV,1.0/all"
             "?format=csvfilewithlabels"),
    "ncses": "NCSES Science and Engineering Indicators venture-capital tables (PitchBook data), "
             "USD million at current prices; table numbers as NCSES publishes them.",
    "prices": "EUR million at 2024 prices: amounts converted to euros at the ECB annual average "
              "rate of the deal's year, then deflated with the euro-area HICP to 2024 prices "
              "(METHODOLOGY 1.2).",
    "vintage_prices": "Fund sizes in this table are in EUR million at the ECB rate of each fund's "
                      "vintage year and in the prices of that year (not deflated), as the "
                      "capacity model computes them; the figure fund_sizes.png shows them at "
                      "2024 prices.",
    "stages": "Stage groups as the OECD and Invest Europe use them: seed (pre-seed, seed); early "
              "(Series A, B); later (Series C onwards, growth). Rounds whose stage the data do "
              "not give are counted under 'Unknown stage', never guessed.",
    "intervals": "Intervals are 95% bootstrap percentile intervals (1,000 resamples of the "
                 "rounds, seed 20261122).",
    "bounds": "Lower and upper bounds: a 95% confidence interval where the finding is a "
              "statistical estimate, the lowest and highest annual value where it is a "
              "five-year mean, the 5-95% simulation band for scenario results; each finding's "
              "caveat says which.",
    "status": "Status: robust (holds by the rule in its caveat); no clear difference (the rule "
              "does not hold); small sample (fewer rounds than the minimum, never a headline); "
              "not available (the data cannot answer); indicative (rests on assumptions or "
              "published point values).",
    "lead_rule": "A fund of size F leads a round of at most 0.15 x F / 0.5 = 0.3 x F: at most 15% "
                 "of the fund in one company, and a lead writes half of the round "
                 "(METHODOLOGY 4.4).",
    "point_values": "Published typical fund sizes are point values (an average or a median), not "
                    "distributions; the EU figure of the European Commission covers the EU of 28 "
                    "(with the UK).",
    "scenario": "The scenario grows EU-27 venture capital along a compound path to the multiple "
                "in the horizon; the US is held flat, on its fitted trend, or growing with its "
                "GDP; the fan shows quantiles of the Monte Carlo simulations (METHODOLOGY 5).",
    "crunchbase": "The shipped round data are the CrunchBase export of October 2013: US companies "
                  "only, so round sizes cannot be compared across regions without an export of "
                  "your own (fundgap report --rounds FILE).",
    "like_for_like": "A published figure is compared only when statistic and window, region, "
                     "sector and stage, and source family (deal-based or fund-reported) agree; "
                     "reproduced = within 10%.",
    "csv": "Long tidy tables are written beside the workbook as CSV files in the tables folder, "
           "not printed here.",
}


def notes_catalog(run_notes: Sequence[str] = ()) -> dict[str, Any]:
    """The notes the workbook may use, with this run's own notes added (``run1`` ...)."""
    out = dict(NOTES)
    for i, text in enumerate(run_notes, 1):
        out[f"run{i}"] = "This run: " + labels.plain(str(text))
    return out


def _blank_to_na(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            s = out[c].astype("object")
            out[c] = s.where(~s.isin(["", None]), None)
    return out


def _year_value(v: Any) -> Any:
    text = str(v) if not labels.is_missing(v) else ""
    return int(text) if text.isdigit() and len(text) == 4 else (text or None)


#: Findings column -> header, for the findings sheets.
FINDING_COLUMNS = {
    "headline_rank": "Rank", "id": "Finding ID", "statement": "Finding", "region": "Region",
    "against": "Compared with", "stage_group": "Stage group", "year": "Year or window",
    "value": "Value", "unit": "Unit", "ci_low": "Lower bound", "ci_high": "Upper bound",
    "n": "Observations", "source": "Source", "status": "Status", "caveat": "Caveat",
}


def findings_table(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The chosen findings columns in words, under reader's headers (values unchanged).

    Region and stage codes, units and statuses are spelled out, the source names
    its table (``NCSES table SINV-31``), four-digit years become numbers and
    Markdown emphasis is removed from text.
    """
    f = labels.relabel(frame, columns=("region", "against"), stages=("stage_group",))
    f = f.assign(
        source=[labels.source(s, t) for s, t in zip(frame["source"], frame["table"], strict=False)],
        unit=frame["unit"].map(lambda u: labels.unit(u) if u else None).astype("object"),
        status=frame["status"].astype(str).map(labels.status).astype("object"),
        year=frame["year"].map(_year_value).astype("object"))
    for c in ("statement", "source", "caveat"):
        f[c] = f[c].map(labels.plain).astype("object")
    f = _blank_to_na(f, ["region", "against", "stage_group", "unit", "source", "caveat", "year"])
    return f[list(columns)].rename(columns=FINDING_COLUMNS).reset_index(drop=True)


def _findings_tablespec(frame: pd.DataFrame) -> Any:
    from fundgap.report.excel import Table

    value_cols = [c for c in ("Value", "Lower bound", "Upper bound") if c in frame.columns]
    na = dict.fromkeys(("Lower bound", "Upper bound", "Observations", "Region", "Compared with", "Stage group", "Unit", "Caveat", "Rank", "Year or window", "Source"), "[z]")
    return Table(frame, row_units=dict.fromkeys(value_cols, "Unit"), missing=na,
                 formats={"Observations": "count", "Rank": "count", "Year or window": "year"},
                 header_notes={"Lower bound": ["bounds"], "Status": ["status"]},
                 wrap=["Finding", "Caveat", "Source"])


def key_findings_sheet(findings: Any, k: int = 12) -> Any:
    """The headline findings, one row each, with value, source, status and caveat."""
    from fundgap.report.excel import Sheet

    head = findings.headline(k)
    head = head.assign(headline_rank=range(1, len(head) + 1))  # 1..k in the order shown
    cols = ["headline_rank", "statement", "value", "unit", "year", "source", "status", "caveat"]
    table = _findings_tablespec(findings_table(head, cols))
    return Sheet("Key findings", title="Key findings: the answer in twelve rows or fewer",
                 notes=["sources", "status"],
                 lines=["Each row is one finding from the All findings sheet, with its source and "
                        "status. Values are shown in the unit of their row: ratios as "
                        "percentages, money in millions, years as years."],
                 tables=[table], widths={"B": 60, "F": 26, "H": 50})


def findings_sheet(findings: Any, *, name: str = "All findings", title: str = "All findings",
                   lines: Sequence[str] = (), notes: Sequence[str] = ("status",)) -> Any:
    """Every row of a findings table (all findings, or one question's), in words."""
    from fundgap.report.excel import Sheet

    cols = ["id", "statement", "region", "against", "stage_group", "year", "value", "unit",
            "ci_low", "ci_high", "n", "source", "status", "caveat"]
    frame = findings.to_frame()
    table = _findings_tablespec(findings_table(frame, cols))
    text = list(lines) or ["Every finding fundgap computes, grouped by question, with its rule, "
                           "status and caveat. The full table with the question, sector, source "
                           "table and data vintage of each row is tables/findings.csv."]
    return Sheet(name, title=title, notes=list(notes), lines=text, tables=[table],
                 widths={"B": 50, "L": 26, "N": 46})


def _answer_rows(findings: Any) -> list[str]:
    head = findings.headline(3)
    rows = [*head.itertuples(index=False)]
    from fundgap.errors import FundgapError

    with contextlib.suppress(FundgapError):  # a findings table without the x5 question
        rows += [*findings.select("x5").headline(2).itertuples(index=False)]
    out = []
    for r in rows:
        mark = "" if r.status == "robust" else f" [{labels.status(r.status)}]"
        out.append(labels.plain(str(r.statement)) + mark)
    return out or ["See the Key findings sheet."]


def cover_sheet(findings: Any, *, version: str, vintages: Sequence[str],
                data: Mapping[str, str], today: str | None = None) -> Any:
    """The cover: question, answer (headline findings), date, version, data, vintages, citation."""
    from fundgap.report.excel import Sheet

    today = today or _dt.date.today().isoformat()
    lines: list[Any] = [("Question", QUESTION)]
    for i, text in enumerate(_answer_rows(findings)):
        lines.append(("Answer" if i == 0 else "", text))
    lines.append(("", "Every finding with its source, status and caveat: 'Key findings' and "
                      "'All findings'. Sources are never blended; where they disagree both are "
                      "shown."))
    lines += [("Date", today), ("fundgap version", version)]
    for i, (kind, label) in enumerate(data.items()):
        lines.append(("Data used" if i == 0 else "", f"{kind.capitalize()}: {label}"))
    for i, text in enumerate(vintages):
        lines.append(("Data vintages" if i == 0 else "", text))
    lines += [("How to cite", CITATION_TEXT.format(year=today[:4], version=version)),
              ("Contents", "Contents: the sheets of this workbook", "#'Contents'!A1"),
              ("Notes", "Notes: definitions and caveats referenced as [note N]", "#'Notes'!A1")]
    return Sheet("Cover", title="fundgap report: Europe's biotech funding gap", kind="cover",
                 landscape=False,
                 freeze=False, lines=lines)


def contents_sheet(rows: Sequence[Mapping[str, str]]) -> Any:
    """One list of the sheets (each a link) with what it shows and its status."""
    from fundgap.report.excel import Sheet, Table

    frame = pd.DataFrame(rows, columns=["Sheet", "What it shows", "Status"])
    return Sheet("Contents", title="Contents",
                 lines=["Each sheet holds one table; select a sheet name to go to it. Sections "
                        "whose data were not available are listed with the reason."],
                 tables=[Table(frame, links={"Sheet": "sheet"}, wrap=["What it shows", "Status"])],
                 widths={"A": 28, "B": 70, "C": 50})


def notes_sheet() -> Any:
    """The Notes sheet (filled by the writer with the notes the workbook uses)."""
    from fundgap.report.excel import Sheet

    return Sheet("Notes", title="Notes", kind="notes",
                 lines=["Notes referenced in titles and headers as [note N]."],
                 widths={"A": 12, "B": 110, "C": 40})


def options_sheet(results: Mapping[str, Any], notes: Sequence[str] = ()) -> Any:
    """Every model's options and assumptions as run."""
    from fundgap.report.excel import Sheet, Table

    rows = [{"Result": str(getattr(res, "title", "") or key), "Option": str(k),
             "Value": labels.meta_text(v)}
            for key, res in results.items() if hasattr(res, "meta")
            for k, v in (res.meta or {}).items()]
    frame = pd.DataFrame(rows, columns=["Result", "Option", "Value"])
    return Sheet("Model options", title="Options and assumptions of each model, as run",
                 notes=list(notes),
                 lines=["Definitions and formulas: METHODOLOGY.md in the fundgap repository."],
                 tables=[Table(frame, wrap=["Result", "Value"])],
                 widths={"A": 62, "B": 24, "C": 80})


def sources_sheet(datasets: pd.DataFrame) -> Any:
    """The shipped datasets with coverage, source and licence."""
    from fundgap.report.excel import Sheet, Table

    cols = {"name": "Dataset", "title": "Title", "coverage": "Coverage", "source": "Source",
            "licence": "Licence"}
    frame = datasets[[c for c in cols if c in datasets.columns]].rename(columns=cols)
    return Sheet("Data sources", title="Data sources: the shipped datasets and their licences",
                 lines=["Provenance, retrieval dates and checksums: fundgap.describe_dataset(name) "
                        "and fundgap/data/datasets.json."],
                 tables=[Table(frame, wrap=["Title", "Coverage", "Licence"])],
                 widths={"A": 24, "B": 50, "C": 50, "D": 22, "E": 50})

