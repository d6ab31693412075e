"""The workbook against the Analysis Function's "Releasing statistics in spreadsheets".

Opened with openpyxl (the reader); the print test prints it with LibreOffice when
``soffice`` is installed. Expected values come from the published tables or from the
rule itself (a year has no thousands separator), not from the writer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from fundgap.report import labels
from fundgap.report.excel import Sheet, Table, write_workbook
from fundgap.report.pipeline import write_report


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("standard")
    res = write_report(out, n_sims=100, strict=True)
    return res, openpyxl.load_workbook(res.workbook)


def _table(ws):
    (t,) = ws.tables.values()
    first, last = t.ref.split(":")
    top = int(re.match(r"[A-Z]+(\d+)", first).group(1))
    bottom = int(re.match(r"[A-Z]+(\d+)", last).group(1))
    return t, top, bottom


def _header(ws):
    _, top, _ = _table(ws)
    return [str(c.value) for c in ws[top] if c.value is not None]


def _rows(ws):
    t, top, bottom = _table(ws)
    names = [re.sub(r" \[note \d+\]", "", str(c.value)) for c in ws[top]]
    return [dict(zip(names, r)) for r in ws.iter_rows(min_row=top + 1, max_row=bottom)]


def test_cover_prints_on_one_page(book):
    _, wb = book
    ws = wb["Cover"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # fit to 1 x 1 pages; the writer leaves out attributes equal to the OOXML default (1),
    # and openpyxl reads an absent one as None
    assert ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight in (None, 1)
    assert ws.page_setup.orientation == "portrait"


def test_every_sheet_one_page_wide_with_print_titles(book):
    _, wb = book
    for ws in wb.worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        if ws.title == "Cover":
            continue
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as needed
        _, top, _ = _table(ws)
        assert ws.print_title_rows == f"${top}:${top}", ws.title  # the header on every page


def test_wide_sheets_print_landscape(book):
    _, wb = book
    assert wb["All findings"].page_setup.orientation == "landscape"
    assert wb["Published benchmarks"].page_setup.orientation == "landscape"


def test_one_excel_table_per_sheet_under_a_title(book):
    _, wb = book
    for ws in wb.worksheets:
        if ws.title == "Cover":
            assert not ws.tables
            continue
        assert len(ws.tables) == 1, ws.title
        _, top, _ = _table(ws)
        assert top >= 2 and ws["A1"].font.b, ws.title  # the title in A1, bold, above the table
        assert ws["A1"].value.startswith(ws["A1"].value.split(" [note")[0])


def test_contents_lists_each_sheet_once_with_a_link(book):
    _, wb = book
    rows = _rows(wb["Contents"])
    names = [r["Sheet"].value for r in rows]
    assert len(names) == len(set(names))
    present = [n for n in names if n in wb.sheetnames]
    assert set(present) == set(wb.sheetnames) - {"Cover", "Contents"}
    for r in rows:
        if r["Sheet"].value in wb.sheetnames:
            assert r["Sheet"].hyperlink.location == f"'{r['Sheet'].value}'!A1"


def test_headers_are_words_with_units_never_codes(book):
    _, wb = book
    for ws in wb.worksheets:
        if not ws.tables:
            continue
        for h in _header(ws):
            assert not any(code in h for code in labels.CODE_NAMES), (ws.title, h)
            assert "_" not in h, (ws.title, h)
    assert "Median round, EUR million, 2024 prices [note 8]" in _header(wb["Depth by stage"]) \
        or any(h.startswith("Median round, EUR million, 2024 prices") for h in
               _header(wb["Depth by stage"]))


def test_notes_are_numbered_and_referenced(book):
    _, wb = book
    rows = _rows(wb["Notes"])
    numbers = [r["Note number"].value for r in rows]
    assert numbers == [f"note {i}" for i in range(1, len(numbers) + 1)]
    used = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                used |= set(re.findall(r"\[note (\d+)\]", str(v)))
    assert {f"note {n}" for n in used} == set(numbers)  # every note used, every use listed
    text = " ".join(str(r["Note text"].value) for r in rows)
    assert "[x] marks a value that is not available" in text


def test_number_format_per_cell_by_unit_in_the_findings(book):
    _, wb = book
    rows = {r["Finding ID"].value: r for r in _rows(wb["All findings"])}
    # NCSES SINV-31, 2022: EU-27 61,911 / US 247,925 -> shown as a percentage
    ncses = rows["totals.eu27_us.ncses.latest"]
    assert ncses["Value"].value == pytest.approx(61911 / 247925, rel=1e-6)
    assert ncses["Value"].number_format in ("0.0%", "0.000")
    # the five-year mean's range bounds are ratios too (never "1.0" for 0.97)
    mean5 = rows["totals.eu27_us.ncses.mean5"]
    assert mean5["Upper bound"].number_format in ("0.0%", "0.000")
    # a count in the same column is a whole number; money has one decimal
    assert rows["published.reproduced"]["Value"].number_format == "#,##0"
    assert rows["round_size.us.later"]["Value"].number_format == "#,##0.0"
    assert rows["round_size.us.later"]["Observations"].number_format == "#,##0"
    # a year written as a year
    assert rows["totals.eu27_us.ncses.latest"]["Year or window"].value == 2022
    assert rows["totals.eu27_us.ncses.latest"]["Year or window"].number_format == "0"


def test_missing_values_use_the_shorthand(book):
    _, wb = book
    rows = _rows(wb["All findings"])
    values = [r["Value"].value for r in rows]
    assert "[x]" in values  # findings the data cannot answer
    assert "[z]" in [r["Lower bound"].value for r in rows]  # no interval for a single year
    for ws in wb.worksheets:
        if not ws.tables:
            continue
        _, top, bottom = _table(ws)
        for row in ws.iter_rows(min_row=top, max_row=bottom):
            assert all(c.value not in (None, "") for c in row), (ws.title, row[0].row)


def test_web_addresses_are_hyperlinks_and_sources_plain_text(book):
    _, wb = book
    linked = 0
    for name in ("Published benchmarks", "Fund case EU vs US", "Notes"):
        for row in wb[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("http"):
                    assert c.hyperlink is not None and c.hyperlink.target.startswith("http")
                    linked += 1
    assert linked >= 10
    for row in wb["Published benchmarks"].iter_rows(values_only=True):
        assert not any(isinstance(v, str) and re.search(r"\*\w", v) for v in row)


def test_no_formulas_and_hostile_text_stays_text(tmp_path):
    frame = pd.DataFrame({"company": ["=1+1", "+cmd", "-2", "@SUM(A1)"], "n": [1, 2, 3, 4]})
    p = write_workbook([Sheet("S", title="t", tables=[Table(frame)])], tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(p)["S"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value[0] in "=+-@"]
    assert len(hostile) == 4 and all(c.data_type == "s" and c.quotePrefix for c in hostile)
    with zipfile.ZipFile(p) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def _chart_axes(path):
    """Per chart file: the axis elements and whether each has a title."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        return {n: [b"<c:title>" in ax for ax in re.findall(
            rb"<c:(?:valAx|catAx|dateAx)>.*?</c:(?:valAx|catAx|dateAx)>", z.read(n), re.S)]
            for n in names}


def _drawing_descriptions(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/drawings/drawing")]
        return [d for n in names for d in re.findall(rb'<xdr:cNvPr [^>]*descr="([^"]*)"',
                                                     z.read(n))]


def test_charts_have_alt_text_axis_titles_and_sit_below_the_table(book):
    res, wb = book
    descriptions = _drawing_descriptions(res.workbook)
    n_charts = sum(len(ws._charts) for ws in wb.worksheets)
    assert n_charts >= 5 and len(descriptions) == n_charts
    assert all(len(d) > 40 for d in descriptions)
    for ws in wb.worksheets:
        for chart in ws._charts:
            _, _, bottom = _table(ws)
            assert chart.anchor._from.row + 1 > bottom, ws.title  # 0-based row under the table
    axes = _chart_axes(res.workbook)
    assert len(axes) == n_charts
    assert all(len(titled) >= 2 and all(titled) for titled in axes.values()), axes


def test_long_tidy_tables_go_to_csv(book):
    res, wb = book
    assert "Scenario (long)" not in wb.sheetnames
    for name in ("scenario_long.csv", "gap.csv", "findings.csv"):
        assert (res.out_dir / "tables" / name).exists()
    assert all(ws.max_row < 200 for ws in wb.worksheets)


def test_sources_compared_does_not_repeat_the_gap_over_time(book):
    _, wb = book
    gap = _header(wb["Gap over time"])
    src = _header(wb["Sources compared"])
    assert set(gap[1:]).isdisjoint(src[1:])
    assert all("USD million" in h for h in src[1:])


def test_a_question_sheet_is_one_entry(tmp_path):
    """A sheet of one question's findings (e.g. countries) comes from question_section."""
    from fundgap.findings import Finding, Findings
    from fundgap.report.sections import question_section

    found = Findings([Finding("countries.be_us", "countries",
                              "Belgium's venture capital was 1.0% of the US's (SYNTHETIC).",
                              region="BE", against="US", year="2022", value=0.01, unit="ratio",
                              source="SYNTHETIC"),
                      Finding("totals.x", "totals", "Other.")])
    sec = question_section("countries", "Countries and groups", "Countries against the US")(
        found, {})
    (sheet,) = sec.sheets
    p = write_workbook(sec.sheets, tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(p)["Countries and groups"]
    assert sheet.title == ws["A1"].value.split(" [note")[0]
    rows = _rows(ws)
    assert [r["Finding ID"].value for r in rows] == ["countries.be_us"]
    assert rows[0]["Value"].number_format == "0.0%"


def _count_pages(pdf):
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    return len(PdfReader(str(pdf)).pages)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_the_workbook_prints_in_60_pages_or_fewer(book, tmp_path):
    res, _ = book
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(res.workbook)], check=True,
                   capture_output=True, timeout=300)
    pdf = tmp_path / (res.workbook.stem + ".pdf")
    assert 1 <= _count_pages(pdf) <= 60
